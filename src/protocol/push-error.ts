import type { Element } from "./xml.js";

// PushError and its condition types, apart from the stanza builders of errors.ts: code that
// throws PushErrors without XML (the service worker entry) imports this file alone.

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
  // Declared, not emitted as class fields: the constructor assigns each, in this order, all the same.
  declare readonly condition: PushErrorCondition;
  declare readonly type: StanzaErrorType | undefined;
  declare readonly specific: string | undefined;
  declare readonly specificNs: string | undefined;
  declare readonly stanza: Element | undefined;

  constructor(condition: PushErrorCondition, message?: string, options: PushErrorOptions = {}) {
    super(message ?? condition, options.cause === undefined ? undefined : { cause: options.cause });
    this.condition = condition;
    this.type = options.type;
    this.specific = options.specific;
    this.specificNs = options.specificNs;
    this.stanza = options.stanza;
  }
}
