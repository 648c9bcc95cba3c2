import type { Push2Enable } from "../../../../protocol/index.js";
import { dropOldest } from "../../../recent-records.js";

/** One Push 2.0 enable as the server keeps it. */
export interface Push2Registration extends Push2Enable {
  /** The account's bare JID. */
  readonly account: string;
  /** The XEP-0388 client id (user-agent id) of the session that enabled, or its resource (mod_push2's `registration_id`). */
  readonly id: string;
  readonly enabledAt: number;
}

/** Each account's registrations by id: a new enable from the same client replaces its old one. */
export class Push2Registry {
  readonly #byAccount = new Map<string, Map<string, Push2Registration>>();

  /**
   * Stores `registration` as the account's newest, replacing the one of the same id; past `limit`
   * the account's least recently enabled go (P2S17; mod_push2 keeps every id). Returns those.
   */
  add(registration: Push2Registration, limit = Number.POSITIVE_INFINITY): Push2Registration[] {
    let registrations = this.#byAccount.get(registration.account);
    if (!registrations) this.#byAccount.set(registration.account, (registrations = new Map()));
    registrations.delete(registration.id);
    registrations.set(registration.id, registration);
    return dropOldest(registrations, limit);
  }

  /** Removes the account's registration `id`; the removed one, if any. */
  disable(account: string, id: string): Push2Registration | undefined {
    const registrations = this.#byAccount.get(account);
    const registration = registrations?.get(id);
    registrations?.delete(id);
    return registration;
  }

  /** Removes this very registration, unless a newer enable replaced it meanwhile. */
  remove(registration: Push2Registration): boolean {
    const registrations = this.#byAccount.get(registration.account);
    if (registrations?.get(registration.id) !== registration) return false;
    registrations.delete(registration.id);
    return true;
  }

  list(account: string): Push2Registration[] {
    return [...(this.#byAccount.get(account)?.values() ?? [])];
  }
}
