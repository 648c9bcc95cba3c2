import type { WebPushSubscriptionJSON } from "../client/types.js";
import { PushError } from "../protocol/errors.js";
import { bytesToBase64Url } from "../protocol/base64.js";

/** What the app server needs of a PushSubscription: the endpoint and the two RFC 8291 keys, base64url. */
export function subscriptionToToken(subscription: PushSubscription): WebPushSubscriptionJSON {
  const json = typeof subscription.toJSON === "function" ? subscription.toJSON() : undefined;
  const p256dh = keyOf(subscription, "p256dh") ?? json?.keys?.["p256dh"];
  const auth = keyOf(subscription, "auth") ?? json?.keys?.["auth"];
  if (!subscription.endpoint || !p256dh || !auth) throw new PushError("bad-response", "the push subscription has no endpoint or lacks its p256dh/auth keys");
  const token: WebPushSubscriptionJSON = { endpoint: subscription.endpoint, keys: { p256dh, auth } };
  if (typeof subscription.expirationTime === "number") token.expirationTime = subscription.expirationTime;
  return token;
}

function keyOf(subscription: PushSubscription, name: PushEncryptionKeyName): string | undefined {
  const key = typeof subscription.getKey === "function" ? subscription.getKey(name) : null;
  return key && key.byteLength > 0 ? bytesToBase64Url(key) : undefined;
}
