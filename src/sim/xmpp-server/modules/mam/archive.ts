import { type Element, randomHex } from "../../../../protocol/index.js";

/** One archived message. */
export interface ArchivedMessage {
  readonly id: string;
  readonly stanza: Element;
  /** The bare JID of the other party. */
  readonly with: string;
  readonly when: number;
}

/** Each account's archive, oldest first, at most `limit` messages (the oldest drop out). */
export class MessageArchive {
  readonly #byAccount = new Map<string, ArchivedMessage[]>();

  constructor(private readonly limit: number) {}

  append(account: string, stanza: Element, withJid: string, when: number): ArchivedMessage {
    const item: ArchivedMessage = { id: randomHex(12), stanza, with: withJid, when };
    let items = this.#byAccount.get(account);
    if (!items) this.#byAccount.set(account, (items = []));
    items.push(item);
    if (items.length > this.limit) items.splice(0, items.length - this.limit);
    return item;
  }

  list(account: string): readonly ArchivedMessage[] {
    return this.#byAccount.get(account) ?? [];
  }
}
