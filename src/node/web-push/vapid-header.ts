import { optionalPeer } from "../optional-peer.js";
import type { VapidDetails } from "./types.js";

/** web-push's own default token lifetime; RFC 8292 §2 allows up to 24 h. */
const TOKEN_LIFETIME_SECONDS = 12 * 60 * 60;
/** A cached token is replaced this long before it expires, so none arrives expired. */
const RENEW_BEFORE_SECONDS = 60 * 60;

/**
 * The VAPID `Authorization` header per push service origin (the JWT's `aud`), signed by web-push
 * and reused until shortly before it expires: RFC 8292 lets a token serve many requests, and
 * signing one per notification was most of the provider's CPU time.
 */
export class VapidHeaders {
  readonly #byAudience = new Map<string, { header: string; renewAt: number }>();

  constructor(
    private readonly vapid: VapidDetails,
    private readonly now: () => number = Date.now,
  ) {}

  forEndpoint(endpoint: string): string {
    const audience = new URL(endpoint).origin;
    const nowSeconds = Math.floor(this.now() / 1000);
    const cached = this.#byAudience.get(audience);
    if (cached && nowSeconds < cached.renewAt) return cached.header;
    const expiration = nowSeconds + TOKEN_LIFETIME_SECONDS;
    const { subject, publicKey, privateKey } = this.vapid;
    const { Authorization: header } = optionalPeer("web-push", "webPushProvider()").getVapidHeaders(audience, subject, publicKey, privateKey, "aes128gcm", expiration);
    this.#byAudience.set(audience, { header, renewAt: expiration - RENEW_BEFORE_SECONDS });
    return header;
  }

  /** After a 401: the next request signs a new token rather than reusing a refused one. */
  forget(endpoint: string): void {
    this.#byAudience.delete(new URL(endpoint).origin);
  }
}
