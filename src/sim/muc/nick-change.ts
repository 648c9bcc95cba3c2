import { type Element, xml } from "../../protocol/index.js";
import { type MucContext, NS_MUC, NS_MUC_USER } from "./context.js";
import { Occupant } from "./occupant.js";
import { occupantPresence, publicise, sendToSessions } from "./occupant-presence.js";
import type { Room } from "./room.js";
import { sendHistoryAndSubject, sendOccupantList } from "./welcome.js";

/**
 * XEP-0045 §7.6: session `session` of occupant `from` sends presence to `room/nick` (M8). Prosody's
 * `handle_normal_presence` moves that one session, not the whole occupant: alone under its nick,
 * the room sees a plain nick change (unavailable with 303 and the new nick, then the new nick's
 * presence); leaving other sessions behind, only the moving one sees 303 and the room sees the old
 * occupant stay. A nick another of the user's resources holds is joined, as a join would. Another
 * user's nick, or one reserved by another member, is `conflict` (ex. 51), thrown before anything
 * changes, so the occupant keeps its old nick.
 */
export function changeNick(context: MucContext, room: Room, from: Occupant, session: string, nick: string, presence: Element): void {
  room.assertNickFree(nick, from.bare);
  const holder = room.occupants.get(nick);
  const affiliation = room.affiliationOf(from.bare);
  if (holder) {
    // Prosody tells the session it is about to join a nick its user already holds.
    const notice = xml("x", { xmlns: NS_MUC_USER }, xml("item", { affiliation, role: "none" }));
    context.send(xml("presence", { from: `${room.jid}/${nick}`, to: session, type: "unavailable" }, xml("status", {}, `you are joining pre-existing session ${nick}`), notice));
  }
  const moved = { type: "unavailable", role: from.role, nick, sessions: [session] } as const;
  if (from.sessions.size === 1 && !holder) {
    // Ex. 49: every occupant sees the old nick go with 303 and the new nick; the occupant also gets 110.
    for (const occupant of room.occupants.values()) {
      sendToSessions(context, occupant, (to) => occupantPresence(room, from, occupant, to, undefined, { ...moved, codes: occupant === from ? ["303", "110"] : ["303"] }));
    }
    from.sessions.delete(session);
  } else {
    // Only this session sees the 303, with its own item alone (Prosody: clients are confused by other items).
    context.send(occupantPresence(room, from, from, session, undefined, { ...moved, codes: ["303", "110"] }));
    from.sessions.delete(session);
    if (from.sessions.size > 0) publicise(context, room, from);
    else {
      // Its last session joined another nick of the user's: the room sees the old nick leave, with no 303.
      for (const other of room.occupants.values()) {
        if (other !== from) sendToSessions(context, other, (to) => occupantPresence(room, from, other, to, undefined, { type: "unavailable", sessions: [session] }));
      }
    }
  }
  const left = from.sessions.size === 0;
  if (left) room.occupants.delete(from.nick);

  const target = holder ?? new Occupant(nick, from.bare, from.role);
  target.sessions.set(session, presence);
  room.occupants.set(nick, target);
  // With <x/>, Prosody takes it for a rejoin and gives the session the room again: the list now,
  // history and subject after the old nick's presence, in handle_normal_presence's order.
  const rejoin = presence.getChild("x", NS_MUC) !== undefined;
  if (rejoin) sendOccupantList(context, room, target, session);
  publicise(context, room, target);
  // The session hears its old nick again, now its other sessions' alone.
  if (!left) context.send(occupantPresence(room, from, target, session, from.presence));
  if (rejoin) sendHistoryAndSubject(context, room, session, presence);
  if (left) context.hooks.fire("muc-occupant-left", { room, occupant: from });
  if (!holder) context.hooks.fire("muc-occupant-joined", { room, occupant: target });
}
