import { base64ToBytes } from "../../protocol/index.js";

/** RFC 8291 §3: a subscription's P-256 public key (uncompressed point) and its 16-byte auth secret. */
const P256_POINT_BYTES = 65;
const UNCOMPRESSED_POINT_PREFIX = 0x04;
const AUTH_SECRET_BYTES = 16;

export interface WebPushSubscriptionFields {
  endpoint: string;
  p256dh: string;
  auth: string;
}

/** What is wrong with a Web Push subscription, or undefined when it is usable. */
export function webPushSubscriptionProblem(subscription: WebPushSubscriptionFields): string | undefined {
  if (!isHttpUrl(subscription.endpoint)) return "endpoint must be an absolute http(s) URL";
  const key = base64ToBytes(subscription.p256dh);
  if (!key || key.length !== P256_POINT_BYTES || key[0] !== UNCOMPRESSED_POINT_PREFIX) {
    return "p256dh must be a base64url uncompressed P-256 public key (65 bytes)";
  }
  const auth = base64ToBytes(subscription.auth);
  if (!auth || auth.length !== AUTH_SECRET_BYTES) return "auth must be a base64url 16-byte secret";
  return undefined;
}

// Plain http is allowed so that a push-service simulator on loopback can be the endpoint.
function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}
