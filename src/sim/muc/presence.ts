import { buildStanzaError, defaultErrorType, type Element, isStanzaErrorCondition, PushError, type StanzaErrorCondition, toJid, xml } from "../../protocol/index.js";
import { type MucContext, NS_MUC } from "./context.js";
import { changeNick } from "./nick-change.js";
import { Occupant } from "./occupant.js";
import { kick } from "./kick.js";
import { leave } from "./leave.js";
import { publicise } from "./occupant-presence.js";
import { welcome } from "./welcome.js";
import { Room, roleFor } from "./room.js";

/**
 * Presence to `room@service/nick` (XEP-0045 §7.2, §7.6, §7.7, §7.14): a join, a nick change, a
 * presence update, or a leave — of one session: a user's resources joining with the same nick
 * are one occupant (M7), as in Prosody. A join sends the joiner the occupants already there, then
 * its own presence (status 110), the history and the subject; the others get the joiner's presence.
 */
export function handlePresence(context: MucContext, presence: Element): void {
  const from = String(presence.attrs.from ?? "");
  const to = toJid(String(presence.attrs.to ?? ""));
  const type = presence.attrs.type as string | undefined;
  const roomJid = to.bare().toString();
  const room = context.rooms.get(roomJid);
  if (type === "error") {
    // Prosody kicks a session that bounces a presence, whatever the condition (M11); an error from anyone else ends here.
    const occupant = room?.occupantByJid(from);
    if (room && occupant) kick(context, room, occupant, from, presence);
    return;
  }
  if (type === "unavailable") {
    const occupant = room?.occupantByJid(from);
    if (room && occupant) leave(context, room, occupant, from, presence);
    return;
  }
  if (type !== undefined) return;
  try {
    if (!to.resource) throw new PushError("jid-malformed", "a room presence needs a nick (room@service/nick)", { type: "modify" });
    const current = room?.occupantByJid(from);
    if (room && current) {
      if (current.nick !== to.resource) return changeNick(context, room, current, from, to.resource, presence);
      current.sessions.set(from, presence);
      // Prosody takes a presence with <x/> from a joined session as a rejoin after a desync: it gets the room again.
      if (presence.getChild("x", NS_MUC)) welcome(context, room, current, from, presence);
      else publicise(context, room, current);
      return;
    }
    // Prosody refuses a join without <x/> (a client that lost track of the room would otherwise join by a presence update, M9).
    if (!presence.getChild("x", NS_MUC)) throw new PushError("item-not-found", "not in this room: join with <x xmlns='http://jabber.org/protocol/muc'/>", { type: "cancel" });
    join(context, room ?? createRoom(context, roomJid, from), to.resource, from, presence);
  } catch (error) {
    context.send(presenceError(presence, error));
  }
}

function createRoom(context: MucContext, roomJid: string, creator: string): Room {
  if (context.rooms.size >= context.options.maxRooms) {
    throw new PushError("not-allowed", `the service keeps at most ${context.options.maxRooms} rooms`, { type: "cancel" });
  }
  const room = new Room(roomJid, context.options.membersOnly, context.options);
  // An instant room (XEP-0045 §10.1.2), as Prosody with muc_room_locking off: open at once, the creator its owner.
  room.setAffiliation(toJid(creator).bare().toString(), "owner");
  context.rooms.set(roomJid, room);
  return room;
}

function join(context: MucContext, room: Room, nick: string, from: string, presence: Element): void {
  const bare = toJid(from).bare().toString();
  const created = room.occupants.size === 0 && room.history.length === 0 && room.affiliationOf(bare) === "owner" && room.affiliations.size === 1;
  const affiliation = room.affiliationOf(bare);
  // §7.2.7, §7.2.8, §7.2.9, §7.2.10: banned, members-only, nick in use or reserved, room full.
  if (affiliation === "outcast") throw new PushError("forbidden", "you are banned from this room", { type: "auth" });
  if (room.membersOnly && affiliation === "none") throw new PushError("registration-required", "this room is members-only", { type: "auth" });
  room.assertNickFree(nick, bare);
  // Every session counts, so that one user's resources cannot grow a room past its bound either.
  if (room.sessionCount() >= room.limits.maxOccupants) {
    throw new PushError("service-unavailable", `the room holds at most ${room.limits.maxOccupants} sessions`, { type: "wait" });
  }
  const holder = room.occupants.get(nick);
  // M7: the nick is the user's already, held by another of its resources: this session joins that occupant.
  const occupant = holder ?? new Occupant(nick, bare, roleFor(affiliation));
  occupant.sessions.set(from, presence);
  room.occupants.set(nick, occupant);
  welcome(context, room, occupant, from, presence, created ? ["201"] : []);
  if (!holder) context.hooks.fire("muc-occupant-joined", { room, occupant });
}

function presenceError(presence: Element, error: unknown): Element {
  const condition: StanzaErrorCondition = error instanceof PushError && isStanzaErrorCondition(error.condition) ? error.condition : "internal-server-error";
  const type = error instanceof PushError && error.type ? error.type : defaultErrorType(condition);
  const text = error instanceof Error ? error.message : undefined;
  return xml(
    "presence",
    { type: "error", from: presence.attrs.to, to: presence.attrs.from },
    xml("x", { xmlns: NS_MUC }),
    buildStanzaError(type, condition, text ? { text } : {}),
  );
}
