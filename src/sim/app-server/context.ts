import { attr, type Element, type Jid, toJid } from "../../protocol/index.js";
import type { CommandSessions } from "./command-sessions.js";
import type { AppServerDialect } from "./dialects/index.js";
import type { PushServiceNodes } from "./push-service-nodes.js";
import { refusal } from "./iq-errors.js";
import type { RegistrationBook } from "./registration-book.js";
import type { AppServerEvents, PushProvider } from "./types.js";

/** What the request handlers share: the app server's state and a way to raise its events. */
export interface AppServerContext {
  readonly jid: string;
  /** The JID the register response names; publishes are accepted there only. */
  readonly pubsubHost: string;
  readonly providers: ReadonlyMap<string, PushProvider>;
  /** The registration protocols it speaks, in the order disco lists their commands. */
  readonly dialects: readonly AppServerDialect[];
  readonly registrations: RegistrationBook;
  readonly sessions: CommandSessions;
  readonly now: () => number;
  readonly vapidPublicKey: string | undefined;
  /** The separate XMPP Push Service the nodes live at (royneary's mod_push_push_service), if any. */
  readonly pushService: PushServiceNodes | undefined;
  /** MUC service domains whose rooms and domain may publish (M5, M6). */
  readonly mucPublishers: readonly string[];
  notify<Name extends keyof AppServerEvents>(name: Name, ...args: AppServerEvents[Name]): void;
}

/** The sender of a request, which the XMPP server stamps on every stanza it routes. */
export function requesterOf(iq: Element): Jid {
  const from = attr(iq, "from");
  if (from === undefined) throw refusal("bad-request", "request without a from address");
  return toJid(from);
}
