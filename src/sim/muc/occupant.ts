import type { Element } from "../../protocol/index.js";

/** A room role (XEP-0045 §5.1): owners and admins moderate, everyone else joined takes part. */
export type MucRole = "moderator" | "participant";

/**
 * One nick in a room and the sessions (full JIDs) of one user behind it, as Prosody's
 * `occupant.lib.lua`: several resources joining with the same nick are one occupant, the room
 * routes to each session, and the occupant leaves with its last session.
 */
export class Occupant {
  /** Each session's last presence to the room (show, status), by full JID, oldest session first. */
  readonly sessions = new Map<string, Element>();

  constructor(
    readonly nick: string,
    /** The user's bare JID, for affiliations and pushes. */
    readonly bare: string,
    public role: MucRole,
  ) {}

  /** The primary session: the oldest still joined (Prosody keeps its first until it leaves). */
  get jid(): string {
    return this.sessions.keys().next().value ?? "";
  }

  /** The primary session's presence, which the others see as the occupant's. */
  get presence(): Element | undefined {
    return this.sessions.get(this.jid);
  }
}
