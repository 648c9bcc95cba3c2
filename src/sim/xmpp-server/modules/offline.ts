import type { Element } from "../../../protocol/index.js";
import { isStorable } from "../message-rules.js";
import type { ClientSession, ModuleHost, ServerModule } from "../module.js";
import type { ResolvedOfflineOptions } from "./offline-options.js";
import { OfflineStore, parseStored } from "./offline-store.js";

/** Messages sent at once before the delivery waits for the connection to have written them out. */
const BATCH = 200;

export interface OfflineModule extends ServerModule {
  readonly name: "offline";
  /** What waits for the account (a bare JID), oldest first, as parsed copies. */
  peek(account: string): readonly Element[];
}

/**
 * Offline storage (RFC 6121 §8.5.2.2.1, Prosody's mod_offline): chat and normal messages with a
 * body wait for the account's next initial presence (S14); other messages to an account with no
 * available resource are dropped. At most `itemLimit` wait per account; past it a message is
 * not handled here, so the core bounces it (S16). A large backlog goes out in batches, each
 * once the connection has written out the one before (S17).
 */
export function offlineModule(options: ResolvedOfflineOptions): OfflineModule {
  const store = new OfflineStore(options.itemLimit);
  return {
    name: "offline",
    peek: (account) => store.peek(account),
    load(host) {
      const deliveries = new Map<ClientSession, BacklogDelivery>();
      host.hook("message/offline", ({ account, stanza }) => {
        if (!isStorable(stanza)) return true;
        if (!store.store(account, stanza, host.domain, Date.now())) return undefined;
        host.emit("stored", account, stanza);
        return true;
      });
      host.hook("message/offline/broadcast", ({ session, account }) => {
        const backlog = store.take(account);
        if (backlog.length === 0) return;
        const delivery = new BacklogDelivery(session, backlog, () => deliveries.delete(session));
        deliveries.set(session, delivery);
        delivery.next();
      });
      // After stream management has stored what the client never acknowledged (older than what was never sent).
      host.hook(
        "resource-unbind",
        ({ session }) => {
          const delivery = deliveries.get(session);
          if (!delivery || !session.account) return;
          deliveries.delete(session);
          delivery.abandon(host, store, session.account);
        },
        -1,
      );
    },
  };
}

/**
 * One session's backlog going out. Messages routed to the session meanwhile wait behind it, so
 * that everything arrives in the order the server got it.
 */
class BacklogDelivery {
  readonly #session: ClientSession;
  readonly #backlog: string[];
  readonly #done: () => void;
  #sent = 0;
  #sending = false;
  #abandoned = false;
  /** Messages routed to the session while the backlog goes out. */
  readonly #held: Element[] = [];

  constructor(session: ClientSession, backlog: string[], done: () => void) {
    this.#session = session;
    this.#backlog = backlog;
    this.#done = done;
    session.filters.out.unshift(this.#holdBack);
  }

  /** The first `out` filter: a message not of the backlog waits until the backlog is out. */
  readonly #holdBack = (stanza: Element): Element | undefined => {
    if (this.#sending || stanza.name !== "message") return stanza;
    this.#held.push(stanza);
    return undefined;
  };

  next(): void {
    if (this.#abandoned) return;
    const end = Math.min(this.#backlog.length, this.#sent + BATCH);
    this.#sending = true;
    try {
      for (; this.#sent < end; this.#sent++) {
        this.#session.send(parseStored(this.#backlog[this.#sent]!));
        this.#backlog[this.#sent] = "";
      }
    } finally {
      this.#sending = false;
    }
    if (this.#sent < this.#backlog.length) {
      this.#session.whenWritable(() => this.next());
      return;
    }
    // The backlog is out: what waited behind it goes, and the session is an ordinary one again.
    this.#stopHolding();
    for (const stanza of this.#held.splice(0)) this.#session.send(stanza);
    this.#done();
  }

  /** The session ended first: what it never got is stored again, behind whatever stream management stored for it. */
  abandon(host: ModuleHost, store: OfflineStore, account: string): void {
    this.#abandoned = true;
    this.#stopHolding();
    store.putBack(account, this.#backlog.slice(this.#sent));
    // Messages held back were live ones: offline now, they go where any such message goes.
    for (const stanza of this.#held.splice(0)) host.fire("message/offline", { account, stanza });
  }

  #stopHolding(): void {
    const filters = this.#session.filters.out;
    const at = filters.indexOf(this.#holdBack);
    if (at !== -1) filters.splice(at, 1);
  }
}
