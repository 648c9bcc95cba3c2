import { type Element, NS, parseXml, xml } from "../../../protocol/index.js";
import { flattened } from "../../flat-string.js";

/**
 * Messages kept for accounts with no available resource, delivered in order on the next login
 * (S14). Each is kept as its serialized text, a sixth of the parsed element's heap, and parsed
 * again when it goes out; at most `limit` per account.
 */
export class OfflineStore {
  readonly #queues = new Map<string, string[]>();

  constructor(private readonly limit: number) {}

  /** Stores the message stamped with XEP-0203 delay information; false when the account's store is full. */
  store(account: string, message: Element, domain: string, now: number): boolean {
    let queue = this.#queues.get(account);
    if (queue && queue.length >= this.limit) return false;
    // The server owns the parsed stanza: the stamp goes on it, and whoever hears `stored` sees it.
    message.append(xml("delay", { xmlns: NS.delay, from: domain, stamp: new Date(now).toISOString() }));
    if (!queue) this.#queues.set(account, (queue = []));
    queue.push(flattened(message.toString()));
    return true;
  }

  /** Removes and returns everything stored for the account, as text, oldest first. */
  take(account: string): string[] {
    const queue = this.#queues.get(account) ?? [];
    this.#queues.delete(account);
    return queue;
  }

  /** Puts messages taken but not delivered back behind what is stored now, beyond the limit if need be: they were stored once. */
  putBack(account: string, messages: readonly string[]): void {
    if (messages.length === 0) return;
    let queue = this.#queues.get(account);
    if (!queue) this.#queues.set(account, (queue = []));
    for (const message of messages) queue.push(message);
  }

  /** Parsed copies of what waits for the account. */
  peek(account: string): Element[] {
    return (this.#queues.get(account) ?? []).map(parseStored);
  }
}

/** A stored message as it goes out. */
export function parseStored(text: string): Element {
  return parseXml(text);
}
