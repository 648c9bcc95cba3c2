import { parsePushPayload } from "../protocol/push-payload.js";
import { notificationFor } from "./notification.js";
import type { ServiceWorkerPushOptions } from "./options.js";
import { type PushEventLike, serviceWorkerScope } from "./worker-types.js";

/**
 * For `self.addEventListener("push", (event) => handlePush(event, options))`: shows the
 * notification for an xmpp-push payload, inside `event.waitUntil` so the worker stays alive
 * until it is shown. A push that is not ours goes to `options.onUnknown`, or shows the generic
 * notification (tag `UNKNOWN_PUSH_TAG`) when there is none. An encrypted payload shows what
 * `options.decrypt` makes of it (see `tigaseDecryption`), else the generic notification. Also
 * returns the promise it waits on.
 */
export function handlePush(event: PushEventLike, options: ServiceWorkerPushOptions = {}): Promise<void> {
  const shown = show(event, options);
  event.waitUntil(shown);
  return shown;
}

async function show(event: PushEventLike, options: ServiceWorkerPushOptions): Promise<void> {
  const text = readText(event);
  const message = text !== undefined && options.push2 ? options.push2(text) : undefined;
  if (message) {
    const notification = notificationFor(undefined, options, message);
    if (message.to) notification.options.data.account = message.to.split("/")[0];
    return serviceWorkerScope().registration.showNotification(notification.title, notification.options);
  }
  const payload = text === undefined ? undefined : parsePushPayload(text);
  if (!payload && options.onUnknown) return options.onUnknown(event);
  // A decrypter that fails must not cost the notification: browsers require one per push.
  const decrypted = payload?.encrypted && options.decrypt ? await options.decrypt(payload).catch(() => undefined) : undefined;
  const notification = notificationFor(payload, options, decrypted);
  await serviceWorkerScope().registration.showNotification(notification.title, notification.options);
}

function readText(event: PushEventLike): string | undefined {
  try {
    return event.data?.text();
  } catch {
    // text() throws on data that is not UTF-8: not ours either.
    return undefined;
  }
}

