import {
  type CommandErrorCondition,
  defaultErrorType,
  isStanzaErrorCondition,
  NS,
  PushError,
  type StanzaErrorCondition,
  type StanzaErrorType,
} from "../../protocol/index.js";

/** A refusal the app server answers with: a stanza error condition, its type and an optional specific condition. */
export function refusal(
  condition: StanzaErrorCondition,
  text: string,
  options: { type?: StanzaErrorType; specific?: CommandErrorCondition } = {},
): PushError {
  const type = options.type ?? defaultErrorType(condition);
  return new PushError(condition, text, options.specific ? { type, specific: options.specific, specificNs: NS.commands } : { type });
}

/** XEP-0050 §4.6: a missing or invalid field in a submitted form. */
export function badPayload(text: string): PushError {
  return refusal("bad-request", text, { type: "modify", specific: "bad-payload" });
}

/** The stanza condition a failure is answered with; anything but a stanza-level `PushError` is our own fault. */
export function conditionOf(error: unknown): StanzaErrorCondition {
  return error instanceof PushError && isStanzaErrorCondition(error.condition) ? error.condition : "internal-server-error";
}
