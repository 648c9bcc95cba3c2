import { type Element, NS, xml } from "../../../protocol/index.js";

/** Messages kept for accounts with no available resource, delivered in order on the next login (S14). */
export class OfflineStore {
  readonly #queues = new Map<string, Element[]>();

  /** Stores the message (the server owns the parsed stanza) stamped with XEP-0203 delay information. */
  store(account: string, message: Element, domain: string, now: number): void {
    const stored = message;
    stored.append(xml("delay", { xmlns: NS.delay, from: domain, stamp: new Date(now).toISOString() }));
    let queue = this.#queues.get(account);
    if (!queue) this.#queues.set(account, (queue = []));
    queue.push(stored);
  }

  /** Removes and returns everything stored for the account. */
  take(account: string): Element[] {
    const queue = this.#queues.get(account) ?? [];
    this.#queues.delete(account);
    return queue;
  }

  peek(account: string): readonly Element[] {
    return this.#queues.get(account) ?? [];
  }
}
