/**
 * The PWA's service worker: shows a notification for each push, also while the app is closed,
 * and focuses or opens the app on a click. In an app of yours, import from "xmpp-push/sw".
 */
import { handleNotificationClick, handlePush, type NotificationEventLike, type PushEventLike, type ServiceWorkerPushOptions } from "../../src/sw/index.js";

// The project compiles against lib DOM, which has no service worker scope: the part used here.
declare const self: {
  addEventListener(type: "push", listener: (event: PushEventLike) => void): void;
  addEventListener(type: "notificationclick", listener: (event: NotificationEventLike) => void): void;
  addEventListener(type: "install", listener: () => void): void;
  skipWaiting(): Promise<void>;
};

const options: ServiceWorkerPushOptions = { icon: "icon.svg" };

self.addEventListener("push", (event) => void handlePush(event, options));
self.addEventListener("notificationclick", (event) => void handleNotificationClick(event, options));
// A new version of this file takes over at once instead of waiting for every tab to close.
self.addEventListener("install", () => void self.skipWaiting());
