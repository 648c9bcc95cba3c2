import { type Element, NS, xml } from "../../protocol/index.js";
import type { MucContext } from "./context.js";
import { leaveRoom } from "./leave.js";
import type { Occupant } from "./occupant.js";
import { publicise } from "./occupant-presence.js";
import type { Room } from "./room.js";

/** The conditions of a bounced message that tell the room its occupant's session is gone (Prosody's muc/util.lib.lua). */
const KICKABLE_CONDITIONS: ReadonlySet<string> = new Set([
  "gone",
  "internal-server-error",
  "item-not-found",
  "jid-malformed",
  "recipient-unavailable",
  "redirect",
  "remote-server-not-found",
  "remote-server-timeout",
  "service-unavailable",
]);

/**
 * An error stanza's condition as Prosody reads it (`get_error`): its first child in the stanzas
 * namespace other than `<text/>`, whatever its name; `undefined-condition` when it has none;
 * undefined without an `<error/>`.
 */
export function bouncedCondition(stanza: Element): string | undefined {
  const error = stanza.getChild("error");
  if (!error) return undefined;
  const condition = error.getChildElements().find((child) => child.attrs.xmlns === NS.stanzas && child.name !== "text");
  return condition?.name ?? "undefined-condition";
}

/** Whether a message of type error from an occupant's session removes it (Prosody's `is_kickable_error`): one without `<error/>` does too. */
export function isKickableError(message: Element): boolean {
  const condition = bouncedCondition(message);
  return condition === undefined || KICKABLE_CONDITIONS.has(condition);
}

/**
 * Prosody's `handle_kickable`: a session that bounced what the room sent it is taken out of the
 * room. With the occupant's last session the occupant leaves: everyone, the kicked session too,
 * gets its unavailable presence with status 333 and "Kicked: <condition>". A session of several
 * just goes: the room sees an update of the occupant, the kicked session nothing.
 */
export function kick(context: MucContext, room: Room, occupant: Occupant, session: string, bounced: Element): void {
  if (occupant.sessions.size > 1) {
    occupant.sessions.delete(session);
    publicise(context, room, occupant);
    return;
  }
  const condition = bouncedCondition(bounced);
  // Prosody adds the error's text only in non-anonymous rooms; ours are semi-anonymous.
  const status = `Kicked: ${condition === undefined ? "presence error" : condition.replaceAll("-", " ")}`;
  leaveRoom(context, room, occupant, xml("presence", { type: "unavailable" }, xml("status", {}, status)), ["333"]);
}
