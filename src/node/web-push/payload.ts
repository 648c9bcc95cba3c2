import { encodePushPayload, type Summary } from "../../protocol/index.js";
import type { ProviderMessage } from "../../sim/index.js";
import type { Urgency } from "./request.js";

/** RFC 8291 §4: 4096 octets of body minus the 86-octet header, the delimiter and the 16-octet tag. */
export const MAX_PLAINTEXT_BYTES = 3993;

/**
 * The payload JSON for a notification, most complete first, then without the body, then without
 * the sender too — each only if it differs from the one before. The summary keeps the four
 * XEP-0357 fields: the service worker reads nothing else, and extras only eat the size budget.
 */
export function payloadVariants(message: ProviderMessage): string[] {
  const summary = knownFields(message.summary);
  const { lastMessageBody: _body, ...withoutBody } = summary;
  const { lastMessageSender: _sender, ...withoutBodyOrSender } = withoutBody;
  // A Tigase-encrypted push goes along in every variant: it is all the service worker can show.
  const encrypted = message.encrypted ? { encrypted: message.encrypted } : {};
  const variants = [summary, withoutBody, withoutBodyOrSender].map((variant) =>
    encodePushPayload({ v: 1, node: message.node, account: message.registration.owner, summary: variant, ...encrypted }),
  );
  return variants.filter((variant, index) => index === 0 || variant !== variants[index - 1]);
}

export function fitsOneRecord(payload: string): boolean {
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
