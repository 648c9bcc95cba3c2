import type { StanzaErrorCondition, StanzaErrorType } from "../../protocol/index.js";
import type { Push2RelayOutcome } from "./types.js";

/** What the relay tells the XMPP server about one notification: nothing (delivered) or an error. */
export interface Verdict {
  outcome: Push2RelayOutcome;
  error?: { type: StanzaErrorType; condition: StanzaErrorCondition };
}

/**
 * The push service's status as the server must act on it (P2S13): the server disables a
 * registration on any error that is not of type `wait`, and retries those of type `wait`.
 * 404/410 — the subscription is gone. 403 — bound to another VAPID key, it never takes these
 * pushes. 400/401/413 — the notification itself is wrong (payload, JWT); sending it again
 * changes nothing. 429/5xx — the service is busy or failing.
 */
export function verdictForStatus(status: number): Verdict {
  if (status >= 200 && status < 300) return { outcome: "delivered" };
  if (status === 404 || status === 410) return { outcome: "gone", error: { type: "cancel", condition: "item-not-found" } };
  if (status === 429) return { outcome: "retry", error: { type: "wait", condition: "resource-constraint" } };
  if (status >= 500) return { outcome: "retry", error: { type: "wait", condition: "service-unavailable" } };
  if (status === 401) return { outcome: "refused", error: { type: "auth", condition: "not-authorized" } };
  if (status === 403) return { outcome: "refused", error: { type: "cancel", condition: "forbidden" } };
  if (status === 413) return { outcome: "refused", error: { type: "modify", condition: "policy-violation" } };
  if (status === 400) return { outcome: "refused", error: { type: "modify", condition: "bad-request" } };
  return { outcome: "refused", error: { type: "cancel", condition: "undefined-condition" } };
}

/** No answer in time, or no connection: the service may be back soon. */
export const NO_ANSWER: Verdict = { outcome: "retry", error: { type: "wait", condition: "remote-server-timeout" } };
/** Every slot busy and the queue full. */
export const QUEUE_FULL: Verdict = { outcome: "retry", error: { type: "wait", condition: "resource-constraint" } };
/** The relay is closing. */
export const CLOSING: Verdict = { outcome: "retry", error: { type: "wait", condition: "service-unavailable" } };
/** A message that is no notification this relay can send (no `<client/>`, a bad payload, an endpoint it may not POST to). */
export const UNUSABLE: Verdict = { outcome: "refused", error: { type: "modify", condition: "bad-request" } };
/** From a server the relay does not serve. */
export const NOT_SERVED: Verdict = { outcome: "refused", error: { type: "cancel", condition: "forbidden" } };
