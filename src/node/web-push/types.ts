import type { Listener } from "../../protocol/index.js";
import type { PushProvider } from "../../sim/index.js";
import type { WebPushDeliveryError } from "./errors.js";

/** The app server's VAPID identity (RFC 8292). Keys are base64url, as `generateVapidKeys()` makes them. */
export interface VapidDetails {
  /** A contact for the push service's operator: `mailto:` or `https:`. */
  subject: string;
  /** The uncompressed P-256 public key (65 bytes) — the `applicationServerKey` browsers subscribe with. */
  publicKey: string;
  /** The 32-byte P-256 private key. */
  privateKey: string;
}

/** A fetch to send with instead of the provider's own keep-alive http/https client. */
export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

export interface WebPushProviderOptions {
  vapid: VapidDetails;
  /** Seconds the push service keeps an undelivered notification (`TTL`). Default {@link DEFAULT_TTL}. */
  ttl?: number;
  /** Sends with this fetch instead; each request then carries an `AbortSignal` for its timeout. */
  fetch?: Fetch;
  /** Re-sends after a 429, a 5xx or a network failure. Default 2. */
  maxRetries?: number;
  /**
   * The longest wait before a re-send, ms. A `Retry-After` asking for more ends the attempt as
   * transient (with that `retryAfter`) instead of holding the publish. Default 5000.
   */
  maxRetryDelay?: number;
  /** The first back-off without a `Retry-After`, ms; it doubles per retry. Default 500. */
  initialRetryDelay?: number;
  /** ms one request may take, waiting for a free connection and the response body included. Default 5000. */
  timeout?: number;
  /**
   * Keep-alive connections per push-service origin; further requests wait for one (within
   * `timeout`). Default 32. Not used with `fetch`, which pools as it likes.
   */
  maxSockets?: number;
}

export type WebPushProviderEvents = {
  /**
   * A failure someone has to look at: our VAPID credentials refused (401), a subscription bound
   * to another key (403), a request the service called malformed (400), a payload it would not
   * take even trimmed (413), an unexpected status, or a registration without Web Push keys.
   */
  error: [WebPushDeliveryError];
};

/** A {@link PushProvider} for `webpush` registrations that also reports what the app must fix. */
export interface WebPushProvider extends PushProvider {
  on<Name extends keyof WebPushProviderEvents>(name: Name, listener: Listener<WebPushProviderEvents[Name]>): this;
  off<Name extends keyof WebPushProviderEvents>(name: Name, listener: Listener<WebPushProviderEvents[Name]>): this;
  once<Name extends keyof WebPushProviderEvents>(name: Name, listener: Listener<WebPushProviderEvents[Name]>): this;
}
