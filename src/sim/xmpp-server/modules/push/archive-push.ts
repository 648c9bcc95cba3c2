import { bareJid, type Element } from "../../../../protocol/index.js";
import type { ClientSession, ModuleHost } from "../../module.js";
import { isUrgent } from "./important.js";
import { pushIdentifier, type PushRegistration } from "./registry.js";

/**
 * Which registrations a message archived for `account` pushes to, by mod_cloud_notify's
 * `archive_message_added` (PT2): none when the account has no session at all (offline handling
 * pushes then), none for a message the account sent; otherwise the registrations that no bound
 * session of the account enabled — a hibernated session counts, the smacks hooks push for it —
 * or every registration for a call proposal.
 */
export function archivePushTargets(
  host: ModuleHost,
  owners: WeakMap<ClientSession, string>,
  account: string,
  stanza: Element,
  registrations: readonly PushRegistration[],
): readonly PushRegistration[] {
  const sessions = host.sessionsOf(account);
  if (sessions.length === 0 || recipientOf(stanza, account) !== account) return [];
  if (isUrgent(stanza)) return registrations;
  const owned = new Set(sessions.map((session) => owners.get(session)));
  return registrations.filter((registration) => !owned.has(pushIdentifier(registration)));
}

function recipientOf(stanza: Element, account: string): string {
  const to = stanza.attrs.to;
  return typeof to === "string" && to !== "" ? bareJid(to).toLowerCase() : account;
}
