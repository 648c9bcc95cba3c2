import { base64ToBytes, bytesToBase64Url, type Push2NotificationContent, type Push2Priority } from "../../protocol/index.js";

/** RFC 8030 §5.3: a notification's `<priority/>` is the push's `Urgency`. */
const URGENCY: Record<Push2Priority, string> = { high: "high", normal: "normal", low: "low" };

export interface RelayRequest {
  url: URL;
  headers: Record<string, string>;
  body: Uint8Array<ArrayBuffer> | undefined;
}

/**
 * The RFC 8030 POST for one notification: the `<encrypted><payload/>` bytes as they are (already
 * RFC 8291 aes128gcm), `Authorization: vapid t=…, k=…` from `<jwt key/>` (RFC 8292 §3; `k`
 * re-encoded as base64url — mod_push2 writes standard base64), `TTL` and `Urgency`. A string
 * saying why when the notification cannot be sent.
 */
export function relayRequest(notification: Push2NotificationContent, ttl: number, allowEndpoint: (url: URL) => boolean): RelayRequest | string {
  if (!URL.canParse(notification.client)) return "<client/> is not a URL";
  const url = new URL(notification.client);
  if (!allowEndpoint(url)) return `the relay does not POST to ${url.protocol} endpoints at ${url.host}`;
  const headers: Record<string, string> = { ttl: String(ttl), urgency: URGENCY[notification.priority] };
  let body: Uint8Array<ArrayBuffer> | undefined;
  if (notification.payload !== undefined) {
    const bytes = base64ToBytes(notification.payload);
    if (!bytes) return "<payload/> is not base64";
    body = new Uint8Array(bytes);
    headers["content-encoding"] = "aes128gcm";
    headers["content-type"] = "application/octet-stream";
  }
  if (notification.jwt) {
    const key = base64ToBytes(notification.jwt.key);
    if (!key) return "<jwt key/> is not base64";
    headers.authorization = `vapid t=${notification.jwt.token}, k=${bytesToBase64Url(key)}`;
  }
  return { url, headers, body };
}

/** The default endpoint rule: https only. */
export function httpsOnly(url: URL): boolean {
  return url.protocol === "https:";
}
