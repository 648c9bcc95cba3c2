import { defaultErrorType, NS, PushError, type StanzaErrorCondition, type StanzaErrorType } from "../../protocol/index.js";

/**
 * A XEP-0060 refusal: a stanza error condition with, where §7 and §8 name one, the
 * pubsub-specific condition (`<precondition-not-met xmlns='…pubsub#errors'/>`).
 */
export function pubsubError(condition: StanzaErrorCondition, text: string, options: { type?: StanzaErrorType; specific?: string } = {}): PushError {
  const type = options.type ?? defaultErrorType(condition);
  return new PushError(condition, text, options.specific ? { type, specific: options.specific, specificNs: NS.pubsubErrors } : { type });
}
