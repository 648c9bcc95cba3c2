/** The service worker: shows a notification for each push, focuses or opens the app on a click. */
import { handleNotificationClick, handlePush } from "xmpp-push/sw";

self.addEventListener("push", (event) => void handlePush(event));
self.addEventListener("notificationclick", (event) => void handleNotificationClick(event));
