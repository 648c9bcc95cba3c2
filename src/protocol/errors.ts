import { NS } from "./namespaces.js";
import { attr, type Element, xml } from "./xml.js";

/** RFC 6120 §8.3.3 defined stanza error conditions. */
export const STANZA_ERROR_CONDITIONS = [
  "bad-request",
  "conflict",
  "feature-not-implemented",
  "forbidden",
  "gone",
  "internal-server-error",
  "item-not-found",
  "jid-malformed",
  "not-acceptable",
  "not-allowed",
  "not-authorized",
  "policy-violation",
  "recipient-unavailable",
  "redirect",
  "registration-required",
  "remote-server-not-found",
  "remote-server-timeout",
  "resource-constraint",
  "service-unavailable",
  "subscription-required",
  "undefined-condition",
  "unexpected-request",
] as const;

export type StanzaErrorCondition = (typeof STANZA_ERROR_CONDITIONS)[number];

/** Conditions raised by the SDK itself rather than by a peer. */
export type LocalErrorCondition = "timeout" | "not-supported" | "bad-response" | "storage" | "disconnected";

export type PushErrorCondition = StanzaErrorCondition | LocalErrorCondition;

/** RFC 6120 §8.3.2 error types. */
export type StanzaErrorType = "auth" | "cancel" | "continue" | "modify" | "wait";

const ERROR_TYPES: readonly string[] = ["auth", "cancel", "continue", "modify", "wait"];

export interface PushErrorOptions {
  type?: StanzaErrorType;
  /** An application-specific condition, e.g. XEP-0050's `bad-payload`. */
  specific?: string;
  /** The namespace of `specific`, needed to put it on the wire. */
  specificNs?: string;
  /** The stanza that carried or caused the error. */
  stanza?: Element;
  cause?: unknown;
}

/** Shared by every copy of the class: separate bundles (CommonJS entries, workers) each carry one. */
const PUSH_ERROR = Symbol.for("xmpp-push.PushError");

/** Every failure of the SDK and the protocol parsers: a condition, never a bare string. */
export class PushError extends Error {
  /**
   * `instanceof` holds for a PushError from any copy of this module. The prototype chain counts
   * too: Babel's class transform (React Native's Metro) checks `this instanceof PushError` in the
   * constructor, before the mark is set.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[PUSH_ERROR] === true;
  }

  readonly [PUSH_ERROR] = true;
  override readonly name = "PushError";
  readonly condition: PushErrorCondition;
  readonly type: StanzaErrorType | undefined;
  readonly specific: string | undefined;
  readonly specificNs: string | undefined;
  readonly stanza: Element | undefined;

  constructor(condition: PushErrorCondition, message?: string, options: PushErrorOptions = {}) {
    super(message ?? condition, options.cause === undefined ? undefined : { cause: options.cause });
    this.condition = condition;
    this.type = options.type;
    this.specific = options.specific;
    this.specificNs = options.specificNs;
    this.stanza = options.stanza;
  }
}

export function isStanzaErrorCondition(value: string): value is StanzaErrorCondition {
  return (STANZA_ERROR_CONDITIONS as readonly string[]).includes(value);
}

/** Builds an `<error>` element (RFC 6120 §8.3). */
export function buildStanzaError(
  type: StanzaErrorType,
  condition: StanzaErrorCondition,
  options: { text?: string; specific?: { name: string; xmlns: string } } = {},
): Element {
  const error = xml("error", { type }, xml(condition, { xmlns: NS.stanzas }));
  if (options.text) error.append(xml("text", { xmlns: NS.stanzas }, options.text));
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
    if (child.attrs.xmlns === NS.stanzas) {
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
