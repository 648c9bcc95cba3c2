import { createECDH, randomBytes } from "node:crypto";
import { decodeBase64Url } from "./base64url.js";
import type { UserAgentKeys } from "./decrypt.js";
import type { MintedSubscription, RateLimit, SubscribeOptions } from "./types.js";

const AUTH_SECRET_BYTES = 16;
const SUBSCRIPTION_ID_BYTES = 16;
const P256_POINT_BYTES = 65;

export interface SubscriptionState {
  endpoint: string;
  keys: UserAgentKeys;
  /** The VAPID key the subscription was made with, if any (RFC 8292 §4). */
  applicationServerKey: Buffer | undefined;
  gone: boolean;
  rateLimit: { remaining: number; retryAfter: number | Date } | undefined;
}

/** The subscriptions a push service has minted, by endpoint path. */
export class SubscriptionBook {
  readonly #byPath = new Map<string, SubscriptionState>();

  constructor(private readonly origin: string) {}

  mint(options: SubscribeOptions = {}): MintedSubscription {
    let applicationServerKey: Buffer | undefined;
    if (options.applicationServerKey !== undefined) {
      applicationServerKey = decodeBase64Url(options.applicationServerKey);
      if (applicationServerKey?.length !== P256_POINT_BYTES || applicationServerKey[0] !== 0x04) {
        throw new TypeError("applicationServerKey must be a base64url uncompressed P-256 public key");
      }
    }
    const ecdh = createECDH("prime256v1");
    const publicKey = ecdh.generateKeys();
    const authSecret = randomBytes(AUTH_SECRET_BYTES);
    const path = `/push/${randomBytes(SUBSCRIPTION_ID_BYTES).toString("base64url")}`;
    const endpoint = `${this.origin}${path}`;
    this.#byPath.set(path, { endpoint, keys: { ecdh, publicKey, authSecret }, applicationServerKey, gone: false, rateLimit: undefined });
    return { endpoint, expirationTime: null, keys: { p256dh: publicKey.toString("base64url"), auth: authSecret.toString("base64url") } };
  }

  /** The subscription whose push resource is `path`. */
  atPath(path: string): SubscriptionState | undefined {
    return this.#byPath.get(path);
  }

  /** The subscription of an endpoint this service minted; throws for any other, as misuse in a test should be loud. */
  get(endpoint: string): SubscriptionState {
    const path = endpoint.startsWith(this.origin) ? endpoint.slice(this.origin.length) : undefined;
    const subscription = path === undefined ? undefined : this.#byPath.get(path);
    if (!subscription) throw new RangeError(`no subscription with endpoint ${endpoint}`);
    return subscription;
  }

  setRateLimit(endpoint: string, limit: RateLimit): void {
    const count = limit.count ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new RangeError("rate limit count must be a positive integer");
    if (typeof limit.retryAfter === "number" && !(Number.isInteger(limit.retryAfter) && limit.retryAfter >= 0)) {
      throw new RangeError("retryAfter in seconds must be a non-negative integer");
    }
    this.get(endpoint).rateLimit = { remaining: count, retryAfter: limit.retryAfter };
  }
}
