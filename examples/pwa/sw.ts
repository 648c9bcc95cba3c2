/**
 * The PWA's service worker: shows a notification for each push (XEP-0357 or Push 2.0), also while the app is closed,
 * and focuses or opens the app on a click. In an app of yours, import from "xmpp-push/sw".
 */
import { handleNotificationClick, handlePush, type NotificationEventLike, type PushEventLike, readPush2Envelope, type ServiceWorkerPushOptions } from "../../src/sw/index.js";

// The project compiles against lib DOM, which has no service worker scope: the part used here.
declare const self: {
  addEventListener(type: "push", listener: (event: PushEventLike) => void): void;
  addEventListener(type: "notificationclick", listener: (event: NotificationEventLike) => void): void;
  addEventListener(type: "install", listener: () => void): void;
  skipWaiting(): Promise<void>;
};

// A Push 2.0 push is the message itself, encrypted by the XMPP server to this browser: the real
// sender and text are shown. An XEP-0357 push from the app server carries the sender only.
const options: ServiceWorkerPushOptions = { icon: "icon.svg", push2: readPush2Envelope };

self.addEventListener("push", (event) => void handlePush(event, options));
self.addEventListener("notificationclick", (event) => void handleNotificationClick(event, options));
// A new version of this file takes over at once instead of waiting for every tab to close.
self.addEventListener("install", () => void self.skipWaiting());
