import type { Element } from "../../protocol/index.js";
import type { MucContext } from "./context.js";
import type { Occupant } from "./occupant.js";
import { occupantPresence, publicise, sendToSessions } from "./occupant-presence.js";
import type { Room } from "./room.js";

/** A session's unavailable presence to the room (§7.14): it leaves, and the occupant with its last session. */
export function leave(context: MucContext, room: Room, leaver: Occupant, session: string, presence: Element): void {
  if (leaver.sessions.size > 1) {
    // M7, as Prosody: one session of several goes; it sees itself leave, the room an update of the occupant that stays.
    leaver.sessions.delete(session);
    context.send(occupantPresence(room, leaver, leaver, session, presence, { type: "unavailable", codes: ["110"], sessions: [session] }));
    publicise(context, room, leaver);
    return;
  }
  leaveRoom(context, room, leaver, presence);
}

/**
 * The occupant's last session is gone: every occupant's sessions, the leaver's own too (with 110),
 * get its unavailable presence, with the status of `source` and the status `codes` given.
 */
export function leaveRoom(context: MucContext, room: Room, leaver: Occupant, source: Element, codes: readonly string[] = []): void {
  for (const occupant of room.occupants.values()) {
    const shownCodes = occupant === leaver ? [...codes, "110"] : codes;
    sendToSessions(context, occupant, (to) => occupantPresence(room, leaver, occupant, to, source, { type: "unavailable", codes: shownCodes }));
  }
  room.occupants.delete(leaver.nick);
  context.hooks.fire("muc-occupant-left", { room, occupant: leaver });
}
