/**
 * The push part of the PWA. In an app of yours, import from "xmpp-push", "xmpp-push/idb" and
 * "xmpp-push/web"; the example imports the sources so it runs without a build.
 */
import type { PushClient } from "../../src/index.js";
import { subscribeWebPush, unsubscribeWebPush } from "../../src/web/index.js";

/**
 * Registers the service worker, subscribes it to Web Push with the VAPID key the app server
 * advertises over XMPP (disco#info), and hands the subscription to the app server. The
 * registration stays after log out: that is what lets pushes arrive while the app is closed.
 */
export async function enableNotifications(push: PushClient, appServer: string): Promise<void> {
  if ((await Notification.requestPermission()) !== "granted") throw new Error("notifications are not allowed for this site");
  await navigator.serviceWorker.register("sw.js");
  const worker = await navigator.serviceWorker.ready;
  const { vapidPublicKey } = await push.discover(appServer);
  if (!vapidPublicKey) throw new Error(`${appServer} advertises no VAPID key`);
  const subscription = await subscribeWebPush(worker, { applicationServerKey: vapidPublicKey });
  await push.subscribe({ appServer, provider: "webpush", token: subscription, deviceName: "xmpp-push PWA" });
}

/** Disables push at the XMPP server, removes the registration at the app server, and ends the browser subscription. */
export async function disableNotifications(push: PushClient): Promise<void> {
  const report = await push.unsubscribe();
  const worker = await navigator.serviceWorker.getRegistration();
  if (worker) await unsubscribeWebPush(worker);
  const [error] = report.errors;
  if (error) throw error;
}

export async function isPushEnabled(push: PushClient): Promise<boolean> {
  return (await push.registrations()).length > 0;
}
