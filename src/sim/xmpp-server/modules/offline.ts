import type { Element } from "../../../protocol/index.js";
import { isStorable } from "../message-rules.js";
import type { ServerModule } from "../module.js";
import { OfflineStore } from "./offline-store.js";

export interface OfflineModule extends ServerModule {
  readonly name: "offline";
  /** What waits for the account (a bare JID), oldest first. */
  peek(account: string): readonly Element[];
}

/**
 * Offline storage (RFC 6121 §8.5.2.2.1, Prosody's mod_offline): chat and normal messages with a
 * body wait for the account's next initial presence (S14); other messages to an account with no
 * available resource are dropped.
 */
export function offlineModule(): OfflineModule {
  const store = new OfflineStore();
  return {
    name: "offline",
    peek: (account) => store.peek(account),
    load(host) {
      host.hook("message/offline", ({ account, stanza }) => {
        if (!isStorable(stanza)) return true;
        store.store(account, stanza, host.domain, Date.now());
        host.emit("stored", account, stanza);
        return true;
      });
      host.hook("message/offline/broadcast", ({ session, account }) => {
        // In the order they arrived (S14).
        for (const message of store.take(account)) session.send(message);
      });
    },
  };
}
