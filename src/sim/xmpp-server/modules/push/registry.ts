import type { Element } from "../../../../protocol/index.js";
import { dropOldest } from "../../../recent-records.js";

/** One XEP-0357 `<enable/>` as the server keeps it. */
export interface PushRegistration {
  /** The account's bare JID. */
  readonly account: string;
  /** The push service (app server) JID. */
  readonly jid: string;
  readonly node: string;
  /** The client's publish-options form, verbatim (replayed in every publish, S9). */
  readonly publishOptions: Element | undefined;
  readonly enabledAt: number;
  /** Consecutive publish errors that were not of type `wait`. */
  errors: number;
}

/** Registrations per account, keyed like mod_cloud_notify's identifier `jid<node` (S3). */
export class PushRegistry {
  readonly #byAccount = new Map<string, Map<string, PushRegistration>>();

  /**
   * Stores a registration made by `newRegistration`, replacing the account's one of the same jid
   * and node; past `limit` the account's least recently enabled go (Prosody's `push_max_devices`,
   * ejabberd's `max_user_sessions`). Returns the ones that went.
   */
  add(registration: PushRegistration, limit = Number.POSITIVE_INFINITY): PushRegistration[] {
    const { account, jid, node } = registration;
    let registrations = this.#byAccount.get(account);
    if (!registrations) this.#byAccount.set(account, (registrations = new Map()));
    // Re-enabling the same pair replaces it (the latest publish-options win) and makes it the newest.
    registrations.delete(key(jid, node));
    registrations.set(key(jid, node), registration);
    return dropOldest(registrations, limit);
  }

  /** Removes one node of `jid`, or every node of it when `node` is absent (S4). */
  disable(account: string, jid: string, node?: string): PushRegistration[] {
    const registrations = this.#byAccount.get(account);
    if (!registrations) return [];
    const removed = [...registrations.values()].filter((reg) => reg.jid === jid && (node === undefined || reg.node === node));
    for (const reg of removed) registrations.delete(key(reg.jid, reg.node));
    return removed;
  }

  /** Removes this very registration, unless it was replaced by a newer enable meanwhile. */
  remove(registration: PushRegistration): boolean {
    const registrations = this.#byAccount.get(registration.account);
    if (registrations?.get(key(registration.jid, registration.node)) !== registration) return false;
    registrations.delete(key(registration.jid, registration.node));
    return true;
  }

  /** How many registrations the account has, without listing them. */
  count(account: string): number {
    return this.#byAccount.get(account)?.size ?? 0;
  }

  list(account: string): PushRegistration[] {
    return [...(this.#byAccount.get(account)?.values() ?? [])];
  }
}

export function newRegistration(account: string, jid: string, node: string, publishOptions: Element | undefined, now: number): PushRegistration {
  return { account, jid, node, publishOptions, enabledAt: now, errors: 0 };
}

/** mod_cloud_notify's `push_identifier`: one registration, across re-enables. */
export function pushIdentifier(registration: Pick<PushRegistration, "jid" | "node">): string {
  return key(registration.jid, registration.node);
}

function key(jid: string, node: string): string {
  return `${jid}<${node}`;
}
