import type { Element } from "../../protocol/index.js";
import type { RegistrationStore } from "../store/types.js";
import { push2EnableOf, push2RegistrationId } from "./registration.js";

/**
 * Bind2's inline request for Push 2.0: the stored registration's enable, or nothing. Runs during
 * SASL2, before the connection has a JID; with no account known, the store's only Push 2.0
 * registration is taken. A store that fails costs the inline enable, never the login.
 */
export function push2InlineRequest(store: RegistrationStore, account: () => string | undefined, sent: (id: string) => void): () => Promise<Element | undefined> {
  return async () => {
    try {
      const name = account();
      const candidates = name === undefined ? (await store.list()).filter((registration) => registration.push2) : [await store.get(push2RegistrationId(name))];
      const registration = candidates.length === 1 ? candidates[0] : undefined;
      if (!registration?.push2) return undefined;
      const enable = push2EnableOf(registration.push2);
      sent(registration.id);
      return enable;
    } catch {
      return undefined;
    }
  };
}
