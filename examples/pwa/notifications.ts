/**
 * The push part of the PWA, both ways: XEP-0357 through the app server, or Push 2.0 straight
 * from the XMPP server. In an app of yours, import from "xmpp-push", "xmpp-push/idb" and
 * "xmpp-push/web"; the example imports the sources so it runs without a build.
 */
import type { PushClient } from "../../src/index.js";
import { subscribeWebPush, unsubscribeWebPush, webPushSubscriber } from "../../src/web/index.js";

export type PushMethod = "xep0357" | "push2";

/** The service worker, once notifications are allowed. */
async function serviceWorker(): Promise<ServiceWorkerRegistration> {
  if ((await Notification.requestPermission()) !== "granted") throw new Error("notifications are not allowed for this site");
  await navigator.serviceWorker.register("sw.js");
  return navigator.serviceWorker.ready;
}

/**
 * XEP-0357: subscribes the service worker to Web Push with the VAPID key the app server
 * advertises over XMPP (disco#info), and hands the subscription to the app server. The
 * registration stays after log out: that is what lets pushes arrive while the app is closed.
 */
export async function enableNotifications(push: PushClient, appServer: string): Promise<void> {
  const worker = await serviceWorker();
  const { vapidPublicKey } = await push.discover(appServer);
  if (!vapidPublicKey) throw new Error(`${appServer} advertises no VAPID key`);
  const subscription = await subscribeWebPush(worker, { applicationServerKey: vapidPublicKey });
  await push.subscribe({ appServer, provider: "webpush", token: subscription, deviceName: "xmpp-push PWA" });
}

/**
 * Push 2.0: the SDK makes this device's VAPID key pair, the service worker subscribes with its
 * public key, and the XMPP server gets the subscription keys and the private key in one enable.
 * It then encrypts each message to this browser itself and sends it through the relay
 * (`service`); no app server sees it.
 */
export async function enablePush2Notifications(push: PushClient, service: string): Promise<void> {
  if (!(await push.isPush2Supported())) throw new Error("this XMPP server does not offer Push 2.0");
  const worker = await serviceWorker();
  await push.subscribePush2({ service, subscription: webPushSubscriber(worker) });
}

/** Disables push at the XMPP server (and the app server, for XEP-0357), and ends the browser subscription. */
export async function disableNotifications(push: PushClient): Promise<void> {
  const report = await push.unsubscribe();
  const worker = await navigator.serviceWorker.getRegistration();
  if (worker) await unsubscribeWebPush(worker);
  const [error] = report.errors;
  if (error) throw error;
}

/** How push is enabled on this device, if it is. */
export async function enabledPushMethod(push: PushClient): Promise<PushMethod | undefined> {
  // One whose removal is pending (a logout cut off, C30) is no longer live.
  const registration = (await push.registrations()).find((stored) => !stored.pendingRemoval);
  if (!registration) return undefined;
  return registration.push2 ? "push2" : "xep0357";
}
