import type { PushPayload } from "../protocol/push-payload.js";
import type { TigaseNotification } from "../protocol/tigase-notification.js";
import { DEFAULT_GENERIC_BODY, DEFAULT_TITLE, type ServiceWorkerPushOptions, type XmppPushNotificationData } from "./options.js";
import type { ShowNotificationOptions } from "./worker-types.js";

/** Tag of notifications for pushes that are not ours: they replace each other. */
export const UNKNOWN_PUSH_TAG = "xmpp-push";

/**
 * What to show for a push: sender and body when the server included them (or `decrypted`, the
 * plaintext of a Tigase-encrypted one, has them), the generic line otherwise. The tag is the
 * conversation (the sender's bare JID, else the node), and `renotify` makes a new message in it
 * replace the previous notification and still alert.
 */
export function notificationFor(
  payload: PushPayload | undefined,
  options: ServiceWorkerPushOptions,
  decrypted?: TigaseNotification,
): { title: string; options: ShowNotificationOptions } {
  const summary = decrypted ? { lastMessageSender: decrypted.sender, lastMessageBody: decrypted.message } : payload?.summary;
  // A bare JID ends at the first "/" (RFC 7622 §3.1): a localpart or domain cannot contain one.
  const chat = summary?.lastMessageSender?.split("/")[0];
  const data: XmppPushNotificationData = { xmppPush: 1 };
  if (payload) data.node = payload.node;
  if (payload?.account) data.account = payload.account;
  if (chat) data.chat = chat;
  const shown: ShowNotificationOptions = {
    body: summary?.lastMessageBody ?? options.genericBody ?? DEFAULT_GENERIC_BODY,
    tag: chat ?? payload?.node ?? UNKNOWN_PUSH_TAG,
    renotify: true,
    data,
  };
  if (options.icon) shown.icon = options.icon;
  if (options.badge) shown.badge = options.badge;
  // A groupchat's sender is the room: the occupant's nick goes first.
  const title = chat && decrypted?.nickname ? `${decrypted.nickname} (${chat})` : chat;
  return { title: title ?? options.title ?? DEFAULT_TITLE, options: shown };
}

/** Reads back `notification.data` when it is one of ours. */
export function readNotificationData(data: unknown): XmppPushNotificationData | undefined {
  if (typeof data !== "object" || data === null || (data as { xmppPush?: unknown }).xmppPush !== 1) return undefined;
  const { node, account, chat } = data as Record<string, unknown>;
  const read: XmppPushNotificationData = { xmppPush: 1 };
  if (typeof node === "string") read.node = node;
  if (typeof account === "string") read.account = account;
  if (typeof chat === "string") read.chat = chat;
  return read;
}
