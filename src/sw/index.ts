// The `xmpp-push/sw` entry, for the service worker: every public name, listed
// (test/build/public-surface.test.ts checks it).
export { handlePush } from "./handle-push.js";
export { tigaseDecryption, type TigaseDecryptionOptions } from "./tigase-decryption.js";
export { handleNotificationClick, NOTIFICATION_CLICK_MESSAGE, type NotificationClickMessage } from "./handle-click.js";
// The pieces handlePush is made of, for a service worker that shows its own notifications
export { notificationFor, readNotificationData } from "./notification.js";
export { parsePushPayload, type PushPayload } from "../protocol/push-payload.js";
export { readPush2Envelope, type Push2Message } from "../protocol/push2-envelope.js";
export { decryptTigasePayload, type EncryptionKeyHolder, type TigaseNotification } from "../protocol/tigase-notification.js";
export type { TigaseEncrypted } from "../protocol/tigase-push.js";
export { PushError, type PushErrorCondition } from "../protocol/push-error.js";
export { DEFAULT_GENERIC_BODY, DEFAULT_TITLE, type ServiceWorkerPushOptions, type XmppPushNotificationData } from "./options.js";
export type { NotificationEventLike, PushEventLike, ShowNotificationOptions, WindowClientLike } from "./worker-types.js";
