import { bareJid, type Element } from "../../../protocol/index.js";

/** Presence subscription requests waiting for accounts that were offline, one per requester (RFC 6121 §3.1.3). */
export class SubscriptionRequests {
  readonly #byAccount = new Map<string, Map<string, Element>>();

  /** Keeps the request, stamped with the requester's bare JID (§3.1.2); a repeated request replaces the earlier one. Returns how many wait. */
  store(account: string, request: Element): number {
    const from = bareJid(String(request.attrs.from ?? ""));
    request.attrs.from = from;
    let requests = this.#byAccount.get(account);
    if (!requests) this.#byAccount.set(account, (requests = new Map()));
    requests.delete(from);
    requests.set(from, request);
    return requests.size;
  }

  /** Removes and returns what waits for the account, oldest first. */
  take(account: string): Element[] {
    const requests = [...(this.#byAccount.get(account)?.values() ?? [])];
    this.#byAccount.delete(account);
    return requests;
  }

  peek(account: string): readonly Element[] {
    return [...(this.#byAccount.get(account)?.values() ?? [])];
  }
}
