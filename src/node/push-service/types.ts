import type { Listener } from "../../protocol/index.js";

/** RFC 8030 §5.3 urgency levels. */
export type Urgency = "very-low" | "low" | "normal" | "high";

/** A subscription as a browser's `PushSubscription.toJSON()` gives it. */
export interface MintedSubscription {
  /** The push resource under the service's origin. */
  endpoint: string;
  expirationTime: null;
  keys: {
    /** The user agent's P-256 public key, base64url of the uncompressed point. */
    p256dh: string;
    /** The 16-byte auth secret, base64url. */
    auth: string;
  };
}

export interface SubscribeOptions {
  /** The VAPID public key (base64url) the subscription is bound to (RFC 8292 §4); unbound when absent. */
  applicationServerKey?: string;
}

/** A push message the service accepted (201), decrypted as the user agent would. */
export interface ReceivedPushMessage {
  /** The id in the `Location` the service answered with. */
  id: string;
  endpoint: string;
  /** The `Location` header of the 201. */
  location: string;
  ttl: number;
  /** The `Urgency` header, or `normal` when absent (RFC 8030 §5.3). */
  urgency: Urgency;
  topic: string | undefined;
  /** The RFC 8291 plaintext as UTF-8; undefined for a push without payload. */
  plaintext: string | undefined;
  /** The request's headers, names lower case. */
  headers: Record<string, string>;
  /** When it was accepted, ms since the epoch. */
  at: number;
}

/** A request the service refused, with the status it answered and why. */
export interface RefusedPushRequest {
  /** The request path's endpoint, or the bare URL when it names no subscription. */
  endpoint: string;
  status: number;
  reason: string;
}

export interface RateLimit {
  /** How many of the next requests to the endpoint get 429. Default 1. */
  count?: number;
  /** The `Retry-After` to answer: seconds, or a date (sent as an HTTP date). */
  retryAfter: number | Date;
}

export interface NextMessageOptions {
  /** Only a message to this endpoint. */
  endpoint?: string;
  /** ms before the promise rejects. Default 3000. */
  timeout?: number;
}

export interface PushServiceOptions {
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Port to listen on. Default 0 (ephemeral). */
  port?: number;
  /**
   * ms a request may take to arrive in full (headers and body), and an idle connection (before its
   * first request or between two) may stay open. A positive integer. Default 5000.
   */
  requestTimeout?: number;
  /**
   * Connections open at once: past it each new connection is closed as soon as it is accepted,
   * before any byte is read, so a client that opens sockets without end holds at most this many.
   * A positive integer, or `Infinity`. Default 1000.
   */
  maxConnections?: number;
  /**
   * Messages one subscription holds that the user agent has not taken; one more is answered 429
   * with `Retry-After` (RFC 8030 §8.4), as a real push service stops storing for a device that
   * never comes for its messages. Default 100 (FCM's limit of stored messages per device).
   */
  pendingLimit?: number;
  /** How many accepted messages `messages` keeps, the latest (the older are dropped). Default 10 000. */
  messageLimit?: number;
}

export type PushServiceEvents = {
  /** A push message was accepted (201). */
  message: [ReceivedPushMessage];
  /** A request was refused (4xx). */
  refused: [RefusedPushRequest];
};

/** An RFC 8030 push service on loopback that also plays the user agent: it decrypts what it accepts. */
export interface PushService {
  /** `http://host:port`, the origin of every endpoint and the VAPID `aud` it expects. */
  readonly origin: string;
  /**
   * Accepted messages in arrival order, the latest `messageLimit`. A message replaced through its
   * `Topic` while still pending leaves this list (RFC 8030 §5.4: the user agent never sees it).
   */
  readonly messages: readonly ReceivedPushMessage[];
  /** Mints a subscription with a fresh P-256 key pair and auth secret. */
  subscribe(options?: SubscribeOptions): MintedSubscription;
  /** From now on the endpoint answers 410 Gone, as for an expired or unsubscribed subscription. */
  expire(endpoint: string): void;
  /** The next requests to `endpoint` get 429 Too Many Requests with `Retry-After`. */
  rateLimit(endpoint: string, limit: RateLimit): void;
  /** Messages the user agent has not taken yet, oldest first. */
  pending(endpoint?: string): ReceivedPushMessage[];
  /** Takes (delivers to the user agent) the oldest pending message, waiting for one if there is none. */
  nextMessage(options?: NextMessageOptions): Promise<ReceivedPushMessage>;
  close(): Promise<void>;
  on<Name extends keyof PushServiceEvents>(name: Name, listener: Listener<PushServiceEvents[Name]>): this;
  off<Name extends keyof PushServiceEvents>(name: Name, listener: Listener<PushServiceEvents[Name]>): this;
  once<Name extends keyof PushServiceEvents>(name: Name, listener: Listener<PushServiceEvents[Name]>): this;
}
