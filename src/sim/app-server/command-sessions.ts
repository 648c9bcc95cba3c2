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

export class CommandSessions {
  readonly #sessions = new Map<string, CommandSession>();
  readonly #timeout: number;
  readonly #now: () => number;

  constructor(timeout: number, now: () => number) {
    this.#timeout = timeout;
    this.#now = now;
  }

  open(node: string, requester: string): CommandSession {
    this.#forgetLongExpired();
    const session: CommandSession = { id: randomHex(), node, requester, openedAt: this.#now() };
    this.#sessions.set(session.id, session);
    return session;
  }

  /** A session of someone else or for another command reads as unknown: its id says nothing to them. */
  lookup(id: string, node: string, requester: string): SessionLookup {
    const session = this.#sessions.get(id);
    if (!session || session.node !== node || session.requester !== requester) return { found: "unknown" };
    if (this.#isExpired(session, this.#timeout)) {
      this.#sessions.delete(id);
      return { found: "expired" };
    }
    return { found: "open", session };
  }

  close(id: string): void {
    this.#sessions.delete(id);
  }

  #isExpired(session: CommandSession, age: number): boolean {
    return this.#now() - session.openedAt > age;
  }

  // Expired sessions are kept one more timeout so that their owner hears "session-expired", not "bad-sessionid".
  #forgetLongExpired(): void {
    for (const [id, session] of this.#sessions) {
      if (this.#isExpired(session, 2 * this.#timeout)) this.#sessions.delete(id);
    }
  }
}
