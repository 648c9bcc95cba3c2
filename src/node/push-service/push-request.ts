import { randomBytes } from "node:crypto";
import { DecryptionError, decryptPushMessage } from "./decrypt.js";
import type { SubscriptionBook } from "./subscriptions.js";
import type { ReceivedPushMessage, Urgency } from "./types.js";
import { checkVapid } from "./vapid.js";

/** RFC 8030 §7.2: a push service must accept at least 4096 octets of payload body. */
export const MAX_BODY_BYTES = 4096;
const URGENCIES: readonly string[] = ["very-low", "low", "normal", "high"];
const TOPIC = /^[A-Za-z0-9_-]{1,32}$/;

export interface PushRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface PushRequestContext {
  origin: string;
  subscriptions: SubscriptionBook;
  now: number;
}

/** A 4xx answer and why. */
export interface Refusal {
  accepted: false;
  status: number;
  reason: string;
  endpoint: string;
  headers?: Record<string, string>;
}

export type Verdict = { accepted: true; message: ReceivedPushMessage } | Refusal;

/** Decides what an RFC 8030 push service answers to one request, decrypting what it accepts. */
export function judgePushRequest(request: PushRequest, context: PushRequestContext): Verdict {
  const subscription = context.subscriptions.atPath(request.path);
  const endpoint = `${context.origin}${request.path}`;
  const refuse = (status: number, reason: string, headers?: Record<string, string>): Refusal => ({
    accepted: false,
    status,
    reason,
    endpoint,
    ...(headers ? { headers } : {}),
  });
  if (!subscription) return refuse(404, "no such subscription");
  if (request.method !== "POST") return refuse(405, "push messages are POSTed", { allow: "POST" });
  if (subscription.gone) return refuse(410, "the subscription has expired or was unsubscribed");

  const { headers, body } = request;
  const ttl = headers.ttl;
  if (ttl === undefined) return refuse(400, "the TTL header is required (RFC 8030 §5.2)");
  if (!/^\d{1,10}$/.test(ttl)) return refuse(400, "TTL must be a non-negative integer of seconds");
  const urgency = headers.urgency ?? "normal";
  if (!URGENCIES.includes(urgency)) return refuse(400, "Urgency must be very-low, low, normal or high (RFC 8030 §5.3)");
  const topic = headers.topic;
  if (topic !== undefined && !TOPIC.test(topic)) return refuse(400, "Topic must be 1 to 32 base64url characters (RFC 8030 §5.4)");
  if (body.length > 0) {
    const encoding = headers["content-encoding"];
    if (encoding === undefined) return refuse(400, "a payload needs Content-Encoding: aes128gcm (RFC 8291 §4)");
    if (encoding.toLowerCase() !== "aes128gcm") return refuse(415, `Content-Encoding ${encoding} is not supported; use aes128gcm`);
  }

  const vapid = checkVapid(headers.authorization, context.origin, context.now);
  if (!vapid.ok) return refuse(401, vapid.reason, { "www-authenticate": "vapid" });
  if (subscription.applicationServerKey && !subscription.applicationServerKey.equals(vapid.key)) {
    return refuse(403, "k is not the applicationServerKey the subscription was made with (RFC 8292 §4.2)");
  }

  const limit = subscription.rateLimit;
  if (limit && limit.remaining > 0) {
    limit.remaining -= 1;
    const retryAfter = typeof limit.retryAfter === "number" ? String(limit.retryAfter) : limit.retryAfter.toUTCString();
    return refuse(429, "too many requests", { "retry-after": retryAfter });
  }
  if (body.length > MAX_BODY_BYTES) return refuse(413, `the body is ${body.length} bytes; at most ${MAX_BODY_BYTES} are accepted`);

  let plaintext: string | undefined;
  if (body.length > 0) {
    try {
      plaintext = decryptPushMessage(body, subscription.keys).toString("utf8");
    } catch (error) {
      // A browser would silently drop it; the simulator says so, as it stands in for the browser too.
      if (error instanceof DecryptionError) return refuse(400, `the user agent could not decrypt the message: ${error.message}`);
      throw error;
    }
  }
  const id = randomBytes(12).toString("base64url");
  return {
    accepted: true,
    message: {
      id,
      endpoint: subscription.endpoint,
      location: `${context.origin}/message/${id}`,
      ttl: Number(ttl),
      urgency: urgency as Urgency,
      topic,
      plaintext,
      headers,
      at: context.now,
    },
  };
}
