import type { WebPushSubscriptionJSON } from "../client/types.js";
import { PushError, type PushErrorCondition } from "../protocol/errors.js";
import { base64UrlToBytes } from "../protocol/base64.js";
import { subscriptionToToken } from "./subscription-token.js";

export interface SubscribeWebPushOptions {
  /** The app server's VAPID public key (RFC 8292): base64url of the 65-byte uncompressed P-256 point. */
  applicationServerKey: string;
}

/**
 * Subscribes the service worker registration to Web Push and returns the subscription for
 * `PushClient.subscribe({ provider: "webpush", token })`. An existing subscription made with the
 * same key is reused; one made with another key (or whose key the browser does not report, or
 * that has expired) is unsubscribed first, since a push service accepts only the key it was
 * created with. Rejects with `PushError`: `not-supported` (no Push API), `forbidden` (the user
 * blocked notifications), `bad-request` (a malformed key), `service-unavailable` (the browser's
 * push service failed), `undefined-condition` otherwise.
 */
export async function subscribeWebPush(registration: ServiceWorkerRegistration, options: SubscribeWebPushOptions): Promise<WebPushSubscriptionJSON> {
  const key = base64UrlToBytes(options.applicationServerKey);
  if (key.length !== 65 || key[0] !== 0x04) throw new PushError("bad-request", "applicationServerKey must be a 65-byte uncompressed P-256 public key");
  const pushManager = pushManagerOf(registration);
  const init: PushSubscriptionOptionsInit = { userVisibleOnly: true, applicationServerKey: key };

  // Not every browser has permissionState(); subscribe() then reports a refusal itself.
  const state = await Promise.resolve()
    .then(() => pushManager.permissionState(init))
    .catch(() => undefined);
  if (state === "denied") throw new PushError("forbidden", "notifications are blocked for this site");

  const existing = await pushCall(() => pushManager.getSubscription());
  if (existing && madeWith(existing, key) && !expired(existing)) return subscriptionToToken(existing);
  if (existing) await pushCall(() => existing.unsubscribe());
  return subscriptionToToken(await pushCall(() => pushManager.subscribe(init)));
}

/** Ends the registration's Web Push subscription, if any; resolves with whether there was one. */
export async function unsubscribeWebPush(registration: ServiceWorkerRegistration): Promise<boolean> {
  const pushManager = pushManagerOf(registration);
  const existing = await pushCall(() => pushManager.getSubscription());
  return existing ? pushCall(() => existing.unsubscribe()) : false;
}

function pushManagerOf(registration: ServiceWorkerRegistration): PushManager {
  const pushManager = (registration as Partial<ServiceWorkerRegistration> | undefined)?.pushManager;
  if (!pushManager) throw new PushError("not-supported", "this browser has no Push API (no pushManager on the service worker registration)");
  return pushManager;
}

function madeWith(subscription: PushSubscription, key: Uint8Array): boolean {
  const current = subscription.options?.applicationServerKey;
  if (!current || current.byteLength !== key.length) return false;
  const bytes = new Uint8Array(current);
  return bytes.every((byte, index) => byte === key[index]);
}

function expired(subscription: PushSubscription): boolean {
  return typeof subscription.expirationTime === "number" && subscription.expirationTime <= Date.now();
}

/** Push API rejections (DOMExceptions) as typed errors. */
async function pushCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const name = error instanceof Error ? error.name : "";
    const message = error instanceof Error ? error.message : String(error);
    throw new PushError(CONDITIONS[name] ?? "undefined-condition", `Push API: ${name || "error"}: ${message}`, { cause: error });
  }
}

const CONDITIONS: Record<string, PushErrorCondition> = {
  NotAllowedError: "forbidden",
  NotSupportedError: "not-supported",
  InvalidStateError: "not-supported",
  InvalidAccessError: "bad-request",
  AbortError: "service-unavailable",
};
