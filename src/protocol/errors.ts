import { NS_STANZAS } from "./namespaces.js";
import { PushError, STANZA_ERROR_CONDITIONS, type StanzaErrorCondition, type StanzaErrorType } from "./push-error.js";
import { attr, type Element, xml } from "./xml.js";

export {
  type LocalErrorCondition,
  PushError,
  type PushErrorCondition,
  type PushErrorOptions,
  STANZA_ERROR_CONDITIONS,
  type StanzaErrorCondition,
  type StanzaErrorType,
} from "./push-error.js";

const ERROR_TYPES: readonly string[] = ["auth", "cancel", "continue", "modify", "wait"];

export function isStanzaErrorCondition(value: string): value is StanzaErrorCondition {
  return (STANZA_ERROR_CONDITIONS as readonly string[]).includes(value);
}

/** Builds an `<error>` element (RFC 6120 §8.3). */
export function buildStanzaError(
  type: StanzaErrorType,
  condition: StanzaErrorCondition,
  options: { text?: string; specific?: { name: string; xmlns: string } } = {},
): Element {
  const error = xml("error", { type }, xml(condition, { xmlns: NS_STANZAS }));
  if (options.text) error.append(xml("text", { xmlns: NS_STANZAS }, options.text));
  if (options.specific) error.append(xml(options.specific.name, { xmlns: options.specific.xmlns }));
  return error;
}

/**
 * Reads the error of a stanza of type `error` (or a bare `<error>` element). An unknown or
 * missing condition reads as `undefined-condition`, as RFC 6120 §8.3.2 asks of a receiver.
 */
export function parseStanzaError(stanza: Element): PushError {
  const error = stanza.name === "error" ? stanza : stanza.getChild("error");
  if (!error) return new PushError("undefined-condition", "error stanza without <error/>", { stanza });

  let condition: StanzaErrorCondition = "undefined-condition";
  let text: string | undefined;
  let specific: string | undefined;
  let specificNs: string | undefined;
  for (const child of error.getChildElements()) {
    if (child.attrs.xmlns === NS_STANZAS) {
      if (child.name === "text") text = child.text();
      else if (isStanzaErrorCondition(child.name)) condition = child.name;
    } else {
      specific = child.name;
      specificNs = child.attrs.xmlns as string | undefined;
    }
  }
  const rawType = attr(error, "type");
  const type = rawType && ERROR_TYPES.includes(rawType) ? (rawType as StanzaErrorType) : undefined;
  return new PushError(condition, text || condition, { type, specific, specificNs, stanza });
}

/** An IQ error reply to `request` (to/from swapped, same id). */
export function buildErrorReply(request: Element, error: Element): Element {
  return xml(request.name, { type: "error", id: request.attrs.id, to: request.attrs.from, from: request.attrs.to }, error);
}

/** An IQ result reply to `request`, with an optional payload. */
export function buildResultReply(request: Element, payload?: Element): Element {
  const reply = xml("iq", { type: "result", id: request.attrs.id, to: request.attrs.from, from: request.attrs.to });
  if (payload) reply.append(payload);
  return reply;
}

/**
 * The default error type for a condition (RFC 6120 §8.3.3: `gone` and `internal-server-error`
 * are `cancel` there, unlike RFC 3920; `unexpected-request` is "wait or modify").
 */
export function defaultErrorType(condition: StanzaErrorCondition): StanzaErrorType {
  switch (condition) {
    case "bad-request":
    case "jid-malformed":
    case "not-acceptable":
    case "policy-violation":
    case "redirect":
      return "modify";
    case "forbidden":
    case "not-authorized":
    case "registration-required":
    case "subscription-required":
      return "auth";
    case "recipient-unavailable":
    case "remote-server-timeout":
    case "resource-constraint":
    case "unexpected-request":
      return "wait";
    default:
      return "cancel";
  }
}

/**
 * The error reply for a failed request: a `PushError` with a stanza condition keeps it (and its
 * message as `<text>`); anything else is `internal-server-error`.
 */
export function errorReplyFor(request: Element, error: unknown): Element {
  const pushError = error instanceof PushError ? error : undefined;
  const condition = pushError && isStanzaErrorCondition(pushError.condition) ? pushError.condition : "internal-server-error";
  const text = pushError && pushError.message !== pushError.condition ? pushError.message : undefined;
  const specific = pushError?.specific && pushError.specificNs ? { name: pushError.specific, xmlns: pushError.specificNs } : undefined;
  return buildErrorReply(
    request,
    buildStanzaError(pushError?.type ?? defaultErrorType(condition), condition, { ...(text ? { text } : {}), ...(specific ? { specific } : {}) }),
  );
}
