import { randomHex } from "../../protocol/index.js";

/** A multi-stage ad-hoc command in progress (XEP-0050 §3.4). */
export interface CommandSession {
  id: string;
  node: string;
  /** The full JID that opened it: only it may continue the session. */
  requester: string;
  openedAt: number;
}

export type SessionLookup = { found: "open"; session: CommandSession } | { found: "unknown" } | { found: "expired" };

/**
 * Open sessions one requester may hold at once: a client that opens and never completes cannot
 * make the app server keep its sessions without bound; the oldest gives way.
 */
const MAX_OPEN_PER_REQUESTER = 16;

export class CommandSessions {
  /** By id, oldest first (a Map keeps insertion order, and sessions are opened in time order). */
  readonly #sessions = new Map<string, CommandSession>();
  readonly #byRequester = new Map<string, Map<string, CommandSession>>();
  readonly #timeout: number;
  readonly #now: () => number;

  constructor(timeout: number, now: () => number) {
    this.#timeout = timeout;
    this.#now = now;
  }

  open(node: string, requester: string): CommandSession {
    this.#forgetLongExpired();
    const own = this.#byRequester.get(requester);
    while (own && own.size >= MAX_OPEN_PER_REQUESTER) this.close(own.keys().next().value as string);
    const session: CommandSession = { id: randomHex(), node, requester, openedAt: this.#now() };
    this.#sessions.set(session.id, session);
    let sessions = this.#byRequester.get(requester);
    if (!sessions) this.#byRequester.set(requester, (sessions = new Map()));
    sessions.set(session.id, session);
    return session;
  }

  /** A session of someone else or for another command reads as unknown: its id says nothing to them. */
  lookup(id: string, node: string, requester: string): SessionLookup {
    const session = this.#sessions.get(id);
    if (!session || session.node !== node || session.requester !== requester) return { found: "unknown" };
    if (this.#isExpired(session, this.#timeout)) {
      this.close(id);
      return { found: "expired" };
    }
    return { found: "open", session };
  }

  close(id: string): void {
    const session = this.#sessions.get(id);
    if (!session) return;
    this.#sessions.delete(id);
    const own = this.#byRequester.get(session.requester);
    own?.delete(id);
    if (own?.size === 0) this.#byRequester.delete(session.requester);
  }

  #isExpired(session: CommandSession, age: number): boolean {
    return this.#now() - session.openedAt > age;
  }

  // Expired sessions are kept one more timeout so that their owner hears "session-expired", not "bad-sessionid".
  #forgetLongExpired(): void {
    for (const session of this.#sessions.values()) {
      if (!this.#isExpired(session, 2 * this.#timeout)) return;
      this.close(session.id);
    }
  }
}
