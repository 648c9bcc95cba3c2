import { optionalPeer } from "../optional-peer.js";

export type Urgency = "very-low" | "low" | "normal" | "high";

/** What the registration's form fields say about its browser subscription. */
export interface WebPushSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface PushRequestOptions {
  /** The VAPID `Authorization` header for the endpoint's origin. */
  authorization: string;
  ttl: number;
  urgency: Urgency;
  topic: string;
}

export interface PushRequest {
  url: string;
  init: { method: "POST"; headers: Record<string, string>; body: Uint8Array<ArrayBuffer> };
}

/**
 * The RFC 8030 request for one notification, encrypted (RFC 8291 aes128gcm) by web-push, with a
 * VAPID header web-push signed (RFC 8292). Sent with fetch rather than web-push's own sender,
 * which speaks only HTTPS.
 */
export function buildPushRequest(subscription: WebPushSubscription, payload: string, options: PushRequestOptions): PushRequest {
  const details = optionalPeer("web-push", "webPushProvider()").generateRequestDetails(subscription, payload, {
    TTL: options.ttl,
    urgency: options.urgency,
    topic: options.topic,
    contentEncoding: "aes128gcm",
  });
  const headers: Record<string, string> = {};
  // web-push gives numbers for TTL and Content-Length; fetch computes the length itself.
  for (const [name, value] of Object.entries(details.headers)) {
    if (name.toLowerCase() !== "content-length") headers[name] = String(value);
  }
  // Set here, not by web-push: it would sign a new token per request (and use its global details if set).
  headers.Authorization = options.authorization;
  return { url: details.endpoint, init: { method: "POST", headers, body: Uint8Array.from(details.body) } };
}
