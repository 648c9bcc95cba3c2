import type { WebPushSubscriptionJSON } from "../client/types.js";
import { subscribeWebPush } from "./subscribe.js";

/**
 * The `subscription` of `PushClient.subscribePush2()`: subscribes the service worker
 * registration with the device's VAPID public key, which `subscribePush2` makes and passes in.
 * An existing subscription made with that key is reused, one made with another key is replaced
 * (`subscribeWebPush`); rejects with the same `PushError`s.
 */
export function webPushSubscriber(registration: ServiceWorkerRegistration): (applicationServerKey: string) => Promise<WebPushSubscriptionJSON> {
  return (applicationServerKey) => subscribeWebPush(registration, { applicationServerKey });
}
