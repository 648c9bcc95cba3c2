import type { Element } from "../../protocol/index.js";
import type { Hooks } from "../xmpp-server/hooks.js";
import type { Occupant } from "./occupant.js";
import type { Room } from "./room.js";
import type { MucServiceEvents, MucServiceOptions } from "./types.js";

export const NS_MUC = "http://jabber.org/protocol/muc";
export const NS_MUC_USER = "http://jabber.org/protocol/muc#user";
export const NS_MUC_ADMIN = "http://jabber.org/protocol/muc#admin";
export const NS_MUC_OWNER = "http://jabber.org/protocol/muc#owner";

/** The room events the service's parts hook, named after Prosody's mod_muc events. */
export interface MucHookEvents {
  /** An occupant entered, after its presence went out (Prosody's `muc-occupant-joined`). */
  "muc-occupant-joined": { room: Room; occupant: Occupant };
  /** An occupant left, after its unavailable presence went out (`muc-occupant-left`). */
  "muc-occupant-left": { room: Room; occupant: Occupant };
  /** A groupchat message is about to go to the occupants; true swallows it (`muc-broadcast-message`). */
  "muc-broadcast-message": { room: Room; stanza: Element };
  /** A groupchat message was stored in the history (`muc-add-history`): pushes and offline delivery start here. */
  "muc-add-history": { room: Room; stanza: Element; sender: Occupant };
}

export type ResolvedMucOptions = Required<Omit<MucServiceOptions, "jid">> & { jid: string };

/** What the service's parts share. */
export interface MucContext {
  readonly options: ResolvedMucOptions;
  readonly rooms: Map<string, Room>;
  readonly hooks: Hooks<MucHookEvents>;
  /** Routes a stanza of the service's through the server; false when unlinked. */
  send(stanza: Element): boolean;
  emit<Name extends keyof MucServiceEvents>(name: Name, ...args: MucServiceEvents[Name]): void;
}
