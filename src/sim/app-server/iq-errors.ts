import {
  buildErrorReply,
  buildStanzaError,
  type CommandErrorCondition,
  commandErrorCondition,
  defaultErrorType,
  type Element,
  isStanzaErrorCondition,
  PushError,
  type StanzaErrorCondition,
  type StanzaErrorType,
} from "../../protocol/index.js";

const COMMAND_CONDITIONS: readonly string[] = [
  "malformed-action",
  "bad-action",
  "bad-locale",
  "bad-payload",
  "bad-sessionid",
  "session-expired",
] satisfies CommandErrorCondition[];

const PUBSUB_ERRORS = "http://jabber.org/protocol/pubsub#errors";
const PUBSUB_CONDITIONS: readonly string[] = ["nodeid-required"];

/** A refusal the app server answers with: a stanza error condition, its type and an optional specific condition. */
export function refusal(
  condition: StanzaErrorCondition,
  text: string,
  options: { type?: StanzaErrorType; specific?: CommandErrorCondition } = {},
): PushError {
  return new PushError(condition, text, { type: options.type ?? defaultErrorType(condition), specific: options.specific });
}

/** XEP-0050 §4.6: a missing or invalid field in a submitted form. */
export function badPayload(text: string): PushError {
  return refusal("bad-request", text, { type: "modify", specific: "bad-payload" });
}

/** The stanza condition a failure is answered with; anything but a stanza-level `PushError` is our own fault. */
export function conditionOf(error: unknown): StanzaErrorCondition {
  return error instanceof PushError && isStanzaErrorCondition(error.condition) ? error.condition : "internal-server-error";
}

/** The error IQ answering `request` for any failure. */
export function errorReplyFor(request: Element, error: unknown): Element {
  const condition = conditionOf(error);
  if (!(error instanceof PushError) || !isStanzaErrorCondition(error.condition)) {
    const text = error instanceof Error ? error.message : String(error);
    return buildErrorReply(request, buildStanzaError("wait", "internal-server-error", { text }));
  }
  const type = error.type ?? defaultErrorType(condition);
  return buildErrorReply(request, buildStanzaError(type, condition, { text: error.message, specific: specificOf(error.specific) }));
}

function specificOf(name: string | undefined): { name: string; xmlns: string } | undefined {
  if (name === undefined) return undefined;
  if (COMMAND_CONDITIONS.includes(name)) return commandErrorCondition(name as CommandErrorCondition);
  if (PUBSUB_CONDITIONS.includes(name)) return { name, xmlns: PUBSUB_ERRORS };
  return undefined;
}
