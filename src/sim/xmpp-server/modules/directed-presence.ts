import { bareJid, xml } from "../../../protocol/index.js";
import type { ClientSession, ServerModule } from "../module.js";

/** At most this many directed-presence targets are remembered per session (a MUC client joins rooms, not thousands). */
const MAX_TARGETS = 1_000;

/**
 * RFC 6121 §4.6: the entities a session sent available presence to directly (rooms it joined,
 * a peer it told it is there) get unavailable presence from the server when the session sends
 * unavailable presence or ends (§4.6.3), as Prosody's mod_presence does with `directed_presence`.
 * A hibernated session has not ended: its rooms keep it.
 */
export function directedPresenceModule(): ServerModule {
  return {
    name: "directed-presence",
    load(host) {
      const directed = new WeakMap<ClientSession, Set<string>>();
      const leave = (session: ClientSession): void => {
        const targets = directed.get(session);
        directed.delete(session);
        if (!targets || !session.jid) return;
        for (const to of targets) host.route(xml("presence", { type: "unavailable", from: session.jid, to }));
      };
      host.hook("pre-presence/directed", ({ session, stanza }) => {
        const to = stanza.attrs.to;
        const type = stanza.attrs.type;
        if (typeof to !== "string" || (type !== undefined && type !== "unavailable")) return undefined;
        // Presence to the account itself is not directed presence (§4.6.1).
        if (session.account && safeBare(to) === session.account) return undefined;
        let targets = directed.get(session);
        if (type === "unavailable") targets?.delete(to);
        else {
          if (!targets) directed.set(session, (targets = new Set()));
          if (targets.size < MAX_TARGETS || targets.has(to)) targets.add(to);
        }
        return undefined;
      });
      host.hook("presence/unavailable", ({ session }) => leave(session));
      host.hook("resource-unbind", ({ session }) => leave(session));
    },
  };
}

function safeBare(jid: string): string | undefined {
  try {
    return bareJid(jid).toLowerCase();
  } catch {
    return undefined;
  }
}
