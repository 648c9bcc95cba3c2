import { PushError, toJid } from "../protocol/index.js";
import type { Dialect } from "./dialects/index.js";

/** A group chat's JID as `RegisterOptions.muc` takes it: bare, with a localpart; anything else is `bad-request` (C18). */
export function roomJidOf(value: string): string {
  let jid;
  try {
    jid = toJid(value);
  } catch (error) {
    throw new PushError("bad-request", `muc: '${value}' is not a room JID`, { cause: error });
  }
  if (jid.resource !== "") throw new PushError("bad-request", `muc: '${value}' is a full JID; pass the room's bare JID`);
  if (jid.local === "") throw new PushError("bad-request", `muc: '${value}' names a service, not a room`);
  return jid.toString();
}

/** What the registration command carries for a room's channel: the device id to register, and the room when the dialect names it. */
export interface RoomChannel {
  deviceId: string;
  muc?: string;
}

/** How `dialect` registers `room`'s channel for `deviceId`; a dialect without room channels is `not-supported` (C18, C19). */
export function roomChannel(dialect: Dialect, deviceId: string, room: string): RoomChannel {
  const rooms = dialect.kind === "requests" ? undefined : dialect.rooms;
  if (rooms === "muc-field") return { deviceId, muc: room };
  // The app server knows no rooms: the room registers as a device of its own, "<device id>#<room>",
  // so it gets a node of its own, stable per (device, room) as p2's channels are. The room's JID
  // tells the app server nothing it does not learn anyway: the room publishes from it.
  if (rooms === "device-per-room") return { deviceId: `${deviceId}#${room}` };
  throw new PushError("not-supported", `the ${dialect.name} dialect has no channels for group chats`);
}
