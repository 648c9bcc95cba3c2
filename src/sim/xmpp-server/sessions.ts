import type { Session } from "./c2s/session.js";

/** Bound sessions by full JID and by account. */
export class SessionTable {
  readonly #byFullJid = new Map<string, Session>();
  readonly #byAccount = new Map<string, Set<Session>>();

  add(session: Session, fullJid: string, account: string): void {
    this.#byFullJid.set(fullJid, session);
    let sessions = this.#byAccount.get(account);
    if (!sessions) this.#byAccount.set(account, (sessions = new Set()));
    sessions.add(session);
  }

  remove(session: Session, fullJid: string, account: string): boolean {
    if (this.#byFullJid.get(fullJid) !== session) return false;
    this.#byFullJid.delete(fullJid);
    const sessions = this.#byAccount.get(account);
    sessions?.delete(session);
    if (sessions?.size === 0) this.#byAccount.delete(account);
    return true;
  }

  get(fullJid: string): Session | undefined {
    return this.#byFullJid.get(fullJid);
  }

  of(account: string): Session[] {
    return [...(this.#byAccount.get(account) ?? [])];
  }

  available(account: string): Session[] {
    return this.of(account).filter((session) => session.available);
  }

  all(): Session[] {
    return [...this.#byFullJid.values()];
  }
}
