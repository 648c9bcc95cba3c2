import { type Element, NS, xml } from "../../protocol/index.js";
import { type MucContext, NS_MUC } from "./context.js";
import type { Occupant } from "./occupant.js";
import { occupantPresence, publicise } from "./occupant-presence.js";
import type { Room } from "./room.js";

/**
 * A new session's welcome (Prosody's `send_occupant_list`, then `muc-occupant-session-new`): the
 * other occupants' presences to it, the occupant's presence to the room, then history and subject
 * to it alone.
 */
export function welcome(context: MucContext, room: Room, occupant: Occupant, session: string, presence: Element, selfCodes: readonly string[] = []): void {
  sendOccupantList(context, room, occupant, session);
  publicise(context, room, occupant, selfCodes);
  sendHistoryAndSubject(context, room, session, presence);
}

/** Every other occupant's presence, to `session` of `occupant`. */
export function sendOccupantList(context: MucContext, room: Room, occupant: Occupant, session: string): void {
  for (const other of room.occupants.values()) {
    if (other !== occupant) context.send(occupantPresence(room, other, occupant, session, other.presence));
  }
}

/** The history `presence` asked for, then the subject, to `session` alone. */
export function sendHistoryAndSubject(context: MucContext, room: Room, session: string, presence: Element): void {
  for (const message of historyFor(room, presence)) context.send(message);
  context.send(xml("message", { type: "groupchat", from: room.subjectFrom, to: session }, xml("subject", {}, room.subject)));
}

/** The history a joining session asked for (§7.2.15 `maxstanzas`), stamped with XEP-0203 delays. */
function historyFor(room: Room, presence: Element): Element[] {
  const asked = presence.getChild("x", NS_MUC)?.getChild("history")?.attrs.maxstanzas;
  const max = asked === undefined ? room.history.length : Number.parseInt(String(asked), 10);
  const count = Number.isFinite(max) && max >= 0 ? Math.min(max, room.history.length) : room.history.length;
  return room.history
    .slice(room.history.length - count)
    .map(({ message, stamp }) => xml("message", { ...message.attrs, to: presence.attrs.from }, ...message.getChildElements(), xml("delay", { xmlns: NS.delay, from: room.jid, stamp })));
}
