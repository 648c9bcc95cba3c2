import type { PushPayload } from "../protocol/push-payload.js";
import type { Push2Message } from "../protocol/push2-envelope.js";
import type { TigaseNotification } from "../protocol/tigase-notification.js";
import type { PushEventLike } from "./worker-types.js";

/** One options object for both handlers, so a service worker can pass the same one to each. */
export interface ServiceWorkerPushOptions {
  /** Title when the push names no sender (default `"New message"`). */
  title?: string;
  /** Body when the push carries no message text, e.g. the server leaves bodies out for privacy (default `"Open the app to read it"`). */
  genericBody?: string;
  icon?: string;
  badge?: string;
  /** The app page a click focuses or opens, relative to the service worker's scope (default: the scope). */
  url?: string;
  /**
   * Handles a push that is not an xmpp-push payload (another sender of the app, an empty push).
   * Without it such a push shows the generic notification: browsers require every push to show
   * one (`userVisibleOnly`) and may revoke the subscription otherwise.
   */
  onUnknown?: (event: PushEventLike) => Promise<void> | void;
  /**
   * For encrypted payloads (`payload.encrypted`, Tigase's `tigase:push:encrypt:0`): their
   * plaintext, whose sender and body are shown, or undefined for the generic notification.
   * `tigaseDecryption()` makes one; without it an encrypted push shows the generic notification.
   */
  decrypt?: (payload: PushPayload) => Promise<TigaseNotification | undefined>;
  /**
   * Push 2.0: reads the push's text — the XEP-0420 envelope the XMPP server encrypted to this
   * browser, which decrypted it (RFC 8291) before the worker sees it — into the forwarded
   * message, whose sender and body are shown, tagged by the conversation. Pass
   * `readPush2Envelope`; without it a Push 2.0 push shows the generic notification (C28).
   */
  push2?: (text: string) => Push2Message | undefined;
}

/** `notification.data` of the notifications this entry shows. */
export interface XmppPushNotificationData {
  xmppPush: 1;
  /** The pubsub node the push came for (identifies the registration). */
  node?: string;
  /** The account (bare JID) it is for, when the app server said. */
  account?: string;
  /** The conversation: the sender's bare JID, when the server included it. */
  chat?: string;
}

export const DEFAULT_TITLE = "New message";
export const DEFAULT_GENERIC_BODY = "Open the app to read it";
