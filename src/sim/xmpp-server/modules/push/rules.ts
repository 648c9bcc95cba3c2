import type { Element } from "../../../../protocol/index.js";
import { isChatOrNormal, isStorable } from "../../message-rules.js";
import { isImportant } from "./important.js";
import type { ResolvedPushOptions } from "./options.js";

/**
 * Whether a message that reached offline handling pushes: one worth storing (chat or normal with
 * a body, S6) does; with `pushBodyless` (Prosody) any chat or normal message does.
 */
export function pushesWhenOffline(message: Element, options: ResolvedPushOptions): boolean {
  return isStorable(message) || (options.pushBodyless && isChatOrNormal(message));
}

/**
 * Whether a message held back from a live or hibernated session pushes (mod_cloud_notify's smacks
 * hooks): one worth storing, or one `is_important` — a groupchat message with a body and no
 * subject, an encrypted message, a call.
 */
export function pushesWhenUndelivered(stanza: Element): boolean {
  return stanza.name === "message" && (isStorable(stanza) || isImportant(stanza));
}

/**
 * Whether a groupchat message to an account with no available resource pushes (M4): one
 * `is_important` (a body, no subject); with `pushBodyless`, as Prosody's mod_cloud_notify, any.
 */
export function pushesForGroupchat(message: Element, options: ResolvedPushOptions): boolean {
  return options.pushBodyless || isImportant(message);
}
