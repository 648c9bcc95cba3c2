import type { Summary } from "./push.js";
import type { TigaseEncrypted } from "./tigase-push.js";

/**
 * The JSON an app server's Web Push provider encrypts for a service worker: which registration
 * the notification is for, and the XEP-0357 summary the XMPP server sent. No XML, no
 * dependencies: the service-worker entry parses it with nothing else loaded.
 */
export interface PushPayload {
  /** Format version. */
  v: 1;
  /** The pubsub node the XMPP server published to: identifies the registration. */
  node: string;
  /** The account (bare JID) the registration belongs to, when the app server knows it. */
  account?: string;
  summary: Summary;
  /** A Tigase-encrypted push (`tigase:push:encrypt:0`), forwarded as the publish carried it; the summary is then empty. */
  encrypted?: TigaseEncrypted;
}

/** The XEP-0128 form on the app server's disco#info that carries its VAPID public key. */
export const WEBPUSH_FORM_TYPE = "tag:xmpp-push,2026:webpush";
/** The field of that form: the VAPID public key, base64url of the uncompressed P-256 point. */
export const VAPID_PUBLIC_KEY_FIELD = "vapid-public-key";

export function encodePushPayload(payload: PushPayload): string {
  return JSON.stringify(payload);
}

/** Parses a payload; anything that is not one (wrong JSON, wrong shape, other version) gives undefined. */
export function parsePushPayload(text: string): PushPayload | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const { v, node, account, summary, encrypted } = value as Record<string, unknown>;
  if (v !== 1 || typeof node !== "string" || node === "" || typeof summary !== "object" || summary === null) return undefined;
  const clean: Summary = {};
  const { messageCount, lastMessageSender, lastMessageBody, pendingSubscriptionCount } = summary as Record<string, unknown>;
  if (typeof messageCount === "number" && Number.isInteger(messageCount) && messageCount >= 0) clean.messageCount = messageCount;
  if (typeof pendingSubscriptionCount === "number" && Number.isInteger(pendingSubscriptionCount) && pendingSubscriptionCount >= 0) {
    clean.pendingSubscriptionCount = pendingSubscriptionCount;
  }
  if (typeof lastMessageSender === "string" && lastMessageSender !== "") clean.lastMessageSender = lastMessageSender;
  if (typeof lastMessageBody === "string" && lastMessageBody !== "") clean.lastMessageBody = lastMessageBody;
  const payload: PushPayload = { v: 1, node, summary: clean };
  if (typeof account === "string" && account !== "") payload.account = account;
  const sealed = encryptedOf(encrypted);
  if (sealed) payload.encrypted = sealed;
  return payload;
}

/** Tigase's `<encrypted/>` as JSON: base64 `iv` and `payload`, an optional `type` (`voip`); anything else is dropped. */
function encryptedOf(value: unknown): TigaseEncrypted | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { iv, payload, type } = value as Record<string, unknown>;
  if (typeof iv !== "string" || iv === "" || typeof payload !== "string" || payload === "") return undefined;
  return typeof type === "string" ? { iv, payload, type } : { iv, payload };
}
