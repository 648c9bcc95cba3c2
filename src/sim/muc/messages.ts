import { buildErrorReply, buildStanzaError, defaultErrorType, type Element, type StanzaErrorCondition, toJid, xml } from "../../protocol/index.js";
import { type MucContext, NS_MUC_USER } from "./context.js";
import { isKickableError, kick } from "./kick.js";
import type { Occupant } from "./occupant.js";
import { sendToSessions } from "./occupant-presence.js";
import type { Room } from "./room.js";

/**
 * A message to a room (XEP-0045 §7.4, §7.9, §8.1) or to an occupant (§7.5): groupchat goes to
 * every occupant from the sender's room JID and into the history; a subject change is for
 * moderators; a private message goes to the one occupant named. Each goes to every session of
 * an occupant (M7).
 */
export function handleMessage(context: MucContext, message: Element): void {
  const type = (message.attrs.type as string | undefined) ?? "normal";
  const from = String(message.attrs.from ?? "");
  const to = toJid(String(message.attrs.to ?? ""));
  const room = context.rooms.get(to.bare().toString());
  const sender = room?.occupantByJid(from);
  // Errors are never answered: one from anyone but an occupant's session (an offline-delivered copy bounced at the bare JID) ends here.
  if (type === "error") return room && sender ? bounced(context, room, sender, message, to.resource) : undefined;
  const refuse = (condition: StanzaErrorCondition, text: string): void => {
    context.send(buildErrorReply(message, buildStanzaError(defaultErrorType(condition), condition, { text })));
  };
  if (!room) return refuse("item-not-found", "no such room");
  if (!sender) return refuse("not-acceptable", "only occupants may send messages to the room or its occupants");

  if (to.resource) {
    if (type === "groupchat") return refuse("bad-request", "groupchat goes to the room, not to an occupant");
    const target = room.occupants.get(to.resource);
    if (!target) return refuse("item-not-found", `no occupant '${to.resource}'`);
    sendPrivate(context, room, sender, target, message);
    return;
  }
  if (type !== "groupchat") return refuse("bad-request", "only groupchat messages go to the room");

  const subject = message.getChild("subject");
  const body = message.getChildText("body");
  if (subject && body === null) {
    if (sender.role !== "moderator") return refuse("forbidden", "only moderators may change the subject");
    room.subject = subject.text();
    room.subjectFrom = `${room.jid}/${sender.nick}`;
  }
  const broadcast = xml("message", { type: "groupchat", from: `${room.jid}/${sender.nick}`, id: message.attrs.id }, ...message.getChildElements());
  if (context.hooks.fire("muc-broadcast-message", { room, stanza: broadcast }) !== undefined) return;
  for (const occupant of room.occupants.values()) {
    sendToSessions(context, occupant, (session) => xml("message", { ...broadcast.attrs, to: session }, ...broadcast.getChildElements()));
  }
  if (subject && body === null) return;
  room.addHistory(broadcast);
  context.hooks.fire("muc-add-history", { room, stanza: broadcast, sender });
}

/** M7: a private message goes to each of the occupant's sessions, as Prosody's `route_to_occupant`. */
function sendPrivate(context: MucContext, room: Room, sender: Occupant, target: Occupant, message: Element): void {
  const children = [...message.getChildElements(), xml("x", { xmlns: NS_MUC_USER })];
  sendToSessions(context, target, (session) => xml("message", { ...message.attrs, from: `${room.jid}/${sender.nick}`, to: session }, ...children));
}

/**
 * A message of type error from an occupant's session (Prosody's `handle_message_to_occupant` and
 * `handle_message_to_room`): a bounce that says the session is gone kicks it (M11); any other
 * error to a nick goes on to that occupant, as a private message would, so that an error a client
 * returns for a private message reaches its sender.
 */
function bounced(context: MucContext, room: Room, sender: Occupant, message: Element, nick: string | undefined): void {
  if (isKickableError(message)) return kick(context, room, sender, String(message.attrs.from), message);
  const target = nick === undefined ? undefined : room.occupants.get(nick);
  if (target) sendPrivate(context, room, sender, target, message);
}
