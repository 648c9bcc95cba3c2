import { type Element, PushError } from "../../protocol/index.js";
import type { MucRole, Occupant } from "./occupant.js";
import type { MucAffiliation, MucRoomInfo } from "./types.js";

export interface Affiliation {
  affiliation: MucAffiliation;
  /** The reserved nick (XEP-0045 §7.12), given with the admin item's `nick`. */
  nick?: string;
}

export interface RoomLimits {
  readonly maxOccupants: number;
  readonly maxHistory: number;
  readonly maxAffiliations: number;
}

/** One room's state: occupants by nick (each with its sessions), affiliations by bare JID, subject and a bounded history. */
export class Room {
  readonly occupants = new Map<string, Occupant>();
  readonly affiliations = new Map<string, Affiliation>();
  /** Stored groupchat messages with when they were sent, oldest first. */
  readonly history: { message: Element; stamp: string }[] = [];
  subject = "";
  /** Who set the subject (a room JID with the nick), for the subject message's `from`. */
  subjectFrom: string;

  constructor(
    readonly jid: string,
    public membersOnly: boolean,
    readonly limits: RoomLimits,
  ) {
    this.subjectFrom = jid;
  }

  affiliationOf(bare: string): MucAffiliation | "none" {
    return this.affiliations.get(bare)?.affiliation ?? "none";
  }

  /** The occupant a session (full JID) is in, if any. */
  occupantByJid(fullJid: string): Occupant | undefined {
    for (const occupant of this.occupants.values()) if (occupant.sessions.has(fullJid)) return occupant;
    return undefined;
  }

  /** Sessions in the room, all occupants' together: what `maxOccupants` bounds. */
  sessionCount(): number {
    let count = 0;
    for (const occupant of this.occupants.values()) count += occupant.sessions.size;
    return count;
  }

  /** Whether any of the user's resources is in the room. */
  hasJoined(bare: string): boolean {
    for (const occupant of this.occupants.values()) if (occupant.bare === bare) return true;
    return false;
  }

  /** A nick another user holds, or another member reserved, is `conflict` (§7.2.9, §7.6 ex. 51). */
  assertNickFree(nick: string, bare: string): void {
    const holder = this.occupants.get(nick);
    if (holder && holder.bare !== bare) throw new PushError("conflict", `the nick '${nick}' is in use`, { type: "cancel" });
    const reservedBy = this.memberByNick(nick);
    if (reservedBy !== undefined && reservedBy !== bare) throw new PushError("conflict", `the nick '${nick}' is reserved`, { type: "cancel" });
  }

  /** The member whose reserved nick this is, if any. */
  memberByNick(nick: string): string | undefined {
    for (const [bare, data] of this.affiliations) if (data.nick === nick) return bare;
    return undefined;
  }

  setAffiliation(bare: string, affiliation: MucAffiliation | "none", nick?: string): void {
    if (affiliation === "none") {
      this.affiliations.delete(bare);
      return;
    }
    if (!this.affiliations.has(bare) && this.affiliations.size >= this.limits.maxAffiliations) {
      throw new PushError("resource-constraint", `the room keeps at most ${this.limits.maxAffiliations} affiliations`, { type: "wait" });
    }
    const holder = nick === undefined ? undefined : this.memberByNick(nick);
    if (holder !== undefined && holder !== bare) throw new PushError("conflict", `the nick '${nick}' is reserved by another member`);
    this.affiliations.set(bare, { affiliation, ...(nick === undefined ? {} : { nick }) });
  }

  addHistory(message: Element): void {
    this.history.push({ message, stamp: new Date().toISOString() });
    if (this.history.length > this.limits.maxHistory) this.history.splice(0, this.history.length - this.limits.maxHistory);
  }

  info(): MucRoomInfo {
    return {
      jid: this.jid,
      subject: this.subject,
      membersOnly: this.membersOnly,
      occupants: Object.fromEntries([...this.occupants].map(([nick, occupant]) => [nick, occupant.jid])),
      sessions: Object.fromEntries([...this.occupants].map(([nick, occupant]) => [nick, [...occupant.sessions.keys()]])),
      affiliations: Object.fromEntries([...this.affiliations].map(([bare, data]) => [bare, { ...data }])),
      history: this.history.map((entry) => entry.message),
    };
  }
}

/** XEP-0045 §5.1.2: owners and admins are moderators. */
export function roleFor(affiliation: MucAffiliation | "none"): MucRole {
  return affiliation === "owner" || affiliation === "admin" ? "moderator" : "participant";
}
