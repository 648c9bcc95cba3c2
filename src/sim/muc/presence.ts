import { buildStanzaError, defaultErrorType, type Element, isStanzaErrorCondition, NS, PushError, type StanzaErrorCondition, toJid, xml } from "../../protocol/index.js";
import { type MucContext, NS_MUC, NS_MUC_USER } from "./context.js";
import { type Occupant, Room, roleFor } from "./room.js";

/**
 * Presence to `room@service/nick` (XEP-0045 §7.2, §7.14): a join, a presence update, or a leave.
 * A join sends the joiner the occupants already there, then its own presence (status 110), the
 * history and the subject; the others get the joiner's presence.
 */
export function handlePresence(context: MucContext, presence: Element): void {
  const from = String(presence.attrs.from ?? "");
  const to = toJid(String(presence.attrs.to ?? ""));
  const type = presence.attrs.type as string | undefined;
  if (type === "error") return;
  const roomJid = to.bare().toString();
  const room = context.rooms.get(roomJid);
  if (type === "unavailable") {
    const occupant = room?.occupantByJid(from);
    if (room && occupant) leave(context, room, occupant, presence);
    return;
  }
  if (type !== undefined) return;
  try {
    if (!to.resource) throw new PushError("jid-malformed", "a room presence needs a nick (room@service/nick)", { type: "modify" });
    const existing = room?.occupantByJid(from);
    if (room && existing) {
      if (existing.nick !== to.resource) throw new PushError("not-acceptable", "nick changes are not supported", { type: "modify" });
      existing.presence = presence;
      for (const occupant of room.occupants.values()) context.send(occupantPresence(room, existing, occupant, presence));
      return;
    }
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
  const holder = room.occupants.get(nick);
  if (holder && holder.bare !== bare) throw new PushError("conflict", `the nick '${nick}' is in use`, { type: "cancel" });
  const reservedBy = room.memberByNick(nick);
  if (reservedBy !== undefined && reservedBy !== bare) throw new PushError("conflict", `the nick '${nick}' is reserved`, { type: "cancel" });
  if (room.occupants.size >= room.limits.maxOccupants) {
    throw new PushError("service-unavailable", `the room holds at most ${room.limits.maxOccupants} occupants`, { type: "wait" });
  }
  if (holder) throw new PushError("conflict", `the nick '${nick}' is in use by another of your resources`, { type: "cancel" });

  const joiner: Occupant = { nick, jid: from, bare, role: roleFor(affiliation), presence };
  for (const occupant of room.occupants.values()) context.send(occupantPresence(room, occupant, joiner, occupant.presence));
  room.occupants.set(nick, joiner);
  for (const occupant of room.occupants.values()) {
    context.send(occupantPresence(room, joiner, occupant, presence, occupant === joiner ? (created ? ["110", "201"] : ["110"]) : []));
  }
  for (const message of historyFor(room, presence)) context.send(message);
  context.send(xml("message", { type: "groupchat", from: room.subjectFrom, to: from }, xml("subject", {}, room.subject)));
  context.hooks.fire("muc-occupant-joined", { room, occupant: joiner });
}

function leave(context: MucContext, room: Room, leaver: Occupant, presence: Element): void {
  for (const occupant of room.occupants.values()) {
    context.send(occupantPresence(room, leaver, occupant, presence, occupant === leaver ? ["110"] : [], "unavailable"));
  }
  room.occupants.delete(leaver.nick);
  context.hooks.fire("muc-occupant-left", { room, occupant: leaver });
}

/** `about`'s presence as `to` sees it: from the room JID with its nick, its affiliation and role; its real JID for moderators (semi-anonymous, §7.2.3). */
function occupantPresence(room: Room, about: Occupant, to: Occupant, source: Element, codes: string[] = [], type?: string): Element {
  const item = xml("item", {
    affiliation: room.affiliationOf(about.bare),
    role: type === "unavailable" ? "none" : about.role,
    ...(to.role === "moderator" || to === about ? { jid: about.jid } : {}),
  });
  const x = xml("x", { xmlns: NS_MUC_USER }, item, ...codes.map((code) => xml("status", { code })));
  const children = source.getChildElements().filter((child) => ["show", "status", "priority"].includes(child.name));
  return xml("presence", { from: `${room.jid}/${about.nick}`, to: to.jid, ...(type ? { type } : {}) }, ...children, x);
}

/** The history a joiner asked for (§7.2.15 `maxstanzas`), stamped with XEP-0203 delays. */
function historyFor(room: Room, presence: Element): Element[] {
  const asked = presence.getChild("x", NS_MUC)?.getChild("history")?.attrs.maxstanzas;
  const max = asked === undefined ? room.history.length : Number.parseInt(String(asked), 10);
  const count = Number.isFinite(max) && max >= 0 ? Math.min(max, room.history.length) : room.history.length;
  return room.history
    .slice(room.history.length - count)
    .map(({ message, stamp }) => xml("message", { ...message.attrs, to: presence.attrs.from }, ...message.getChildElements(), xml("delay", { xmlns: NS.delay, from: room.jid, stamp })));
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
