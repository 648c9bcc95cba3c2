import { encodePushPayload, type Summary } from "../../protocol/index.js";
import type { ProviderMessage } from "../../sim/index.js";
import type { Urgency } from "./request.js";

/** RFC 8291 §4: 4096 octets of body minus the 86-octet header, the delimiter and the 16-octet tag. */
export const MAX_PLAINTEXT_BYTES = 3993;

/**
 * The payload JSONs for a notification that fit one record, most complete first, then without
 * the body, then without the sender too — each only if it differs from the one before; made as
 * they are asked for, since the first is nearly always the one sent. The summary keeps the four
 * XEP-0357 fields: the service worker reads nothing else, and extras only eat the size budget.
 */
export function* fittingPayloads(message: ProviderMessage): Generator<string, undefined> {
  const summary = knownFields(message.summary);
  const { lastMessageBody: _body, ...withoutBody } = summary;
  const { lastMessageSender: _sender, ...withoutBodyOrSender } = withoutBody;
  // A Tigase-encrypted push goes along in every variant: it is all the service worker can show.
  const encrypted = message.encrypted ? { encrypted: message.encrypted } : {};
  let previous: string | undefined;
  for (const variant of [summary, withoutBody, withoutBodyOrSender]) {
    const payload = encodePushPayload({ v: 1, node: message.node, account: message.registration.owner, summary: variant, ...encrypted });
    if (payload === previous) continue;
    previous = payload;
    if (fitsOneRecord(payload)) yield payload;
  }
  return undefined;
}

function fitsOneRecord(payload: string): boolean {
  return Buffer.byteLength(payload) <= MAX_PLAINTEXT_BYTES;
}

/** `last-message-body` is the servers' "important" signal, as in Prosody's mod_cloud_notify (W9). */
export function urgencyOf(summary: Summary): Urgency {
  return summary.lastMessageBody !== undefined ? "high" : "normal";
}

function knownFields(summary: Summary): Summary {
  const known: Summary = {};
  if (summary.messageCount !== undefined) known.messageCount = summary.messageCount;
  if (summary.lastMessageSender !== undefined) known.lastMessageSender = summary.lastMessageSender;
  if (summary.lastMessageBody !== undefined) known.lastMessageBody = summary.lastMessageBody;
  if (summary.pendingSubscriptionCount !== undefined) known.pendingSubscriptionCount = summary.pendingSubscriptionCount;
  return known;
}
