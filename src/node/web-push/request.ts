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

/** One RFC 8030 POST: the endpoint, its headers (Content-Length included) and the encrypted body. */
export interface PushRequest {
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * The RFC 8030 request for one notification, encrypted (RFC 8291 aes128gcm) by web-push, with a
 * VAPID header web-push signed (RFC 8292). Sent by our own sender (http1-sender.ts) rather than
 * web-push's, which speaks only HTTPS and keeps no connection alive.
 */
export function buildPushRequest(subscription: WebPushSubscription, payload: string, options: PushRequestOptions): PushRequest {
  const details = optionalPeer("web-push", "webPushProvider()").generateRequestDetails(subscription, payload, {
    TTL: options.ttl,
    urgency: options.urgency,
    topic: options.topic,
    contentEncoding: "aes128gcm",
  });
  const headers: Record<string, string> = {};
  // web-push gives numbers for TTL and Content-Length.
  for (const name in details.headers) headers[name] = String(details.headers[name]);
  // Set here, not by web-push: it would sign a new token per request (and use its global details if set).
  headers.Authorization = options.authorization;
  return { url: details.endpoint, headers, body: details.body };
}
