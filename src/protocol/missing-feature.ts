import { PushError } from "./push-error.js";

/**
 * The error for a Web API this runtime lacks (React Native's Hermes has no `crypto` at all): a
 * `PushError('not-supported')` naming the polyfill that provides it, instead of the bare
 * `TypeError` the call would throw.
 */
export function missingFeature(feature: string, polyfill: string): PushError {
  return new PushError("not-supported", `${feature} is not available in this runtime: install a polyfill (on React Native: ${polyfill}) and import it before xmpp-push`);
}
