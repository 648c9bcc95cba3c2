export { handlePush } from "./handle-push.js";
export { handleNotificationClick, NOTIFICATION_CLICK_MESSAGE, type NotificationClickMessage } from "./handle-click.js";
export { notificationFor, readNotificationData, UNKNOWN_PUSH_TAG } from "./notification.js";
export { DEFAULT_GENERIC_BODY, DEFAULT_TITLE, type ServiceWorkerPushOptions, type XmppPushNotificationData } from "./options.js";
export type { NotificationEventLike, PushEventLike, ShowNotificationOptions, WindowClientLike } from "./worker-types.js";
export { parsePushPayload, type PushPayload } from "../protocol/push-payload.js";
