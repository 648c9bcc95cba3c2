import { bareJid, type Element, PushError, xml } from "../../../protocol/index.js";

interface RosterItem {
  readonly jid: string;
  readonly name: string | undefined;
  readonly subscription: "none";
}

/**
 * Each account's roster items, as RFC 6121 §2.3/§2.5 roster sets add, change and remove them; at
 * most `maxItems` per account (S20).
 */
export class Rosters {
  readonly #byAccount = new Map<string, Map<string, RosterItem>>();
  readonly #maxItems: number;

  constructor(maxItems = Number.POSITIVE_INFINITY) {
    this.#maxItems = maxItems;
  }

  items(account: string): Element[] {
    return [...(this.#byAccount.get(account)?.values() ?? [])].map((item) => xml("item", { jid: item.jid, name: item.name, subscription: item.subscription }));
  }

  /** A roster set: exactly one item (§2.3.3), `subscription='remove'` deletes it. */
  set(account: string, query: Element): void {
    const items = query.getChildren("item");
    if (items.length !== 1) throw new PushError("bad-request", "a roster set carries exactly one item", { type: "modify" });
    const [item] = items as [Element];
    let jid: string;
    try {
      jid = bareJid(String(item.attrs.jid ?? ""));
    } catch {
      throw new PushError("jid-malformed", "roster item without a valid jid", { type: "modify" });
    }
    if (!jid) throw new PushError("bad-request", "roster item without a jid", { type: "modify" });
    let roster = this.#byAccount.get(account);
    if (!roster) this.#byAccount.set(account, (roster = new Map()));
    if (item.attrs.subscription === "remove") roster.delete(jid);
    else if (!roster.has(jid) && roster.size >= this.#maxItems) {
      // Tigase's condition and type (RosterFlat.addBuddy, S20); only a new JID counts, as there.
      throw new PushError("policy-violation", `a roster holds at most ${this.#maxItems} items here`, { type: "cancel" });
    } else roster.set(jid, { jid, name: typeof item.attrs.name === "string" ? item.attrs.name : undefined, subscription: "none" });
  }

  subscription(account: string, contact: string): string | undefined {
    return this.#byAccount.get(account)?.get(bareJid(contact))?.subscription;
  }
}
