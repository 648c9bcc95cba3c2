import { bareJid, type Element } from "../../../../protocol/index.js";
import type { ClientSession, ModuleHost } from "../../module.js";

const NS_CHATSTATES = "http://jabber.org/protocol/chatstates";

/**
 * What the grace periods and filters need to know of the account's sessions: when each last
 * sent a message with a body or a chat state (mod_push2's `last_activity`), and the nick each
 * joined a room with (mod_track_muc_joins' `rooms_joined`, from its directed presence).
 */
export class SessionActivity {
  readonly #lastActive = new WeakMap<ClientSession, number>();
  readonly #nicks = new WeakMap<ClientSession, Map<string, string>>();

  constructor(host: ModuleHost, now: () => number) {
    const track = ({ session, stanza }: { session: ClientSession; stanza: Element }): undefined => {
      if (stanza.getChildText("body") || stanza.getChildElements().some((child) => child.getNS() === NS_CHATSTATES)) this.#lastActive.set(session, now());
      return undefined;
    };
    // Before any module that could swallow the stanza.
    host.hook("pre-message/bare", track, 10);
    host.hook("pre-message/full", track, 10);
    host.hook("pre-presence/directed", ({ session, stanza }) => {
      const to = String(stanza.attrs.to ?? "");
      const slash = to.indexOf("/");
      if (slash === -1) return undefined;
      let rooms = this.#nicks.get(session);
      if (!rooms) this.#nicks.set(session, (rooms = new Map()));
      if (stanza.attrs.type === "unavailable") rooms.delete(bareJid(to).toLowerCase());
      else if (stanza.attrs.type === undefined) rooms.set(bareJid(to).toLowerCase(), to.slice(slash + 1));
      return undefined;
    }, 10);
  }

  lastActive(session: ClientSession): number | undefined {
    return this.#lastActive.get(session);
  }

  /** The nick the first of `sessions` that joined `room` uses there. */
  nickIn(sessions: readonly ClientSession[], room: string): string | undefined {
    for (const session of sessions) {
      const nick = this.#nicks.get(session)?.get(room);
      if (nick !== undefined) return nick;
    }
    return undefined;
  }
}
