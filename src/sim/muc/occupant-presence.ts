import { type Element, xml } from "../../protocol/index.js";
import { type MucContext, NS_MUC_USER } from "./context.js";
import type { Occupant } from "./occupant.js";
import type { Room } from "./room.js";

/** How one presence about an occupant is dressed. */
export interface PresenceShape {
  type?: "unavailable";
  codes?: readonly string[];
  /** The item's role; by default the occupant's, `none` when unavailable. */
  role?: string;
  /** The item's `nick`: the new nick of a nick change (§7.6). */
  nick?: string;
  /** The sessions whose real JIDs the items name, where the viewer may see them; by default all the occupant's. */
  sessions?: readonly string[];
}

/** Who looks at a presence: moderators and the user itself see real JIDs. */
export type Viewer = Pick<Occupant, "role" | "bare">;

/**
 * `about`'s presence as `viewer` sees it, sent to session `to`: from `room/nick`, with the show and
 * status of `source`. A moderator, or the user itself, gets an item per session with its real JID
 * (semi-anonymous, §7.2.3; Prosody's `build_item_list` lists every session), others one without.
 */
export function occupantPresence(room: Room, about: Occupant, viewer: Viewer, to: string, source: Element | undefined, shape: PresenceShape = {}): Element {
  const attrs = {
    affiliation: room.affiliationOf(about.bare),
    role: shape.role ?? (shape.type === "unavailable" ? "none" : about.role),
    ...(shape.nick === undefined ? {} : { nick: shape.nick }),
  };
  const sessions = shape.sessions ?? [...about.sessions.keys()];
  const seesJids = viewer.role === "moderator" || viewer.bare === about.bare;
  const items = seesJids && sessions.length > 0 ? sessions.map((jid) => xml("item", { ...attrs, jid })) : [xml("item", attrs)];
  const x = xml("x", { xmlns: NS_MUC_USER }, ...items, ...(shape.codes ?? []).map((code) => xml("status", { code })));
  const children = source?.getChildElements().filter((child) => ["show", "status", "priority"].includes(child.name)) ?? [];
  return xml("presence", { from: `${room.jid}/${about.nick}`, to, ...(shape.type ? { type: shape.type } : {}) }, ...children, x);
}

/** Sends to each of an occupant's sessions what `build` makes for it. */
export function sendToSessions(context: MucContext, occupant: Occupant, build: (session: string) => Element): void {
  for (const session of occupant.sessions.keys()) context.send(build(session));
}

/**
 * Prosody's `publicise_occupant_status`: every other occupant's sessions get `about`'s presence
 * (its primary session's), and each of `about`'s own sessions gets its own presence back with 110.
 */
export function publicise(context: MucContext, room: Room, about: Occupant, selfCodes: readonly string[] = []): void {
  for (const other of room.occupants.values()) {
    if (other !== about) sendToSessions(context, other, (session) => occupantPresence(room, about, other, session, about.presence));
  }
  for (const [session, own] of about.sessions) context.send(occupantPresence(room, about, about, session, own, { codes: ["110", ...selfCodes] }));
}
