import { readNotificationData } from "./notification.js";
import type { ServiceWorkerPushOptions, XmppPushNotificationData } from "./options.js";
import { type NotificationEventLike, serviceWorkerScope } from "./worker-types.js";

/** `type` of the message an already open window receives when a notification is clicked. */
export const NOTIFICATION_CLICK_MESSAGE = "xmpp-push:notificationclick";

export interface NotificationClickMessage extends Omit<XmppPushNotificationData, "xmppPush"> {
  type: typeof NOTIFICATION_CLICK_MESSAGE;
}

/**
 * For `self.addEventListener("notificationclick", (event) => handleNotificationClick(event, options))`:
 * closes the notification, then focuses an open window of the app (under `options.url`, default
 * the scope) and posts it a `NotificationClickMessage`, or opens the app with `?chat=<bare JID>`.
 * All inside `event.waitUntil`. Also returns the promise it waits on.
 */
export function handleNotificationClick(event: NotificationEventLike, options: ServiceWorkerPushOptions = {}): Promise<void> {
  event.notification.close();
  const done = focusOrOpen(readNotificationData(event.notification.data), options);
  event.waitUntil(done);
  return done;
}

async function focusOrOpen(data: XmppPushNotificationData | undefined, options: ServiceWorkerPushOptions): Promise<void> {
  const scope = serviceWorkerScope();
  const app = new URL(options.url ?? "./", scope.registration.scope);
  const windows = await scope.clients.matchAll({ type: "window", includeUncontrolled: true });
  const open = windows.find((client) => isPartOf(client.url, app));
  if (open) {
    await open.focus();
    if (data) {
      const { xmppPush: _ours, ...conversation } = data;
      const message: NotificationClickMessage = { type: NOTIFICATION_CLICK_MESSAGE, ...conversation };
      open.postMessage(message);
    }
    return;
  }
  const target = new URL(app.href);
  if (data?.chat) target.searchParams.set("chat", data.chat);
  await scope.clients.openWindow(target.href);
}

/** A window belongs to the app when it is on the app page's origin, under its directory. */
function isPartOf(url: string, app: URL): boolean {
  const page = new URL(url);
  return page.origin === app.origin && page.pathname.startsWith(app.pathname.slice(0, app.pathname.lastIndexOf("/") + 1));
}
