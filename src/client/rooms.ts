import type { Dialect } from "./dialects/types.js";
import { type RoomChannel, roomChannel, roomJidOf } from "./room-channel.js";
import type { RegisterOptions, Registration } from "./types.js";

/**
 * Group chats' own channels for `PushClient`, passed as `extensions: [rooms]`: `subscribe({ muc })`,
 * `unsubscribe({ muc })` and the renewal of a device's rooms on a new token (C18–C21). Without
 * it an app ships none of this code and `muc` is `not-supported`; stored room channels are still
 * enabled again after every fresh session and removed by `unsubscribe()`.
 */
export interface RoomsExtension {
  readonly name: "rooms";
  /** A group chat's JID as `muc` takes it: bare, with a localpart; anything else is `bad-request` (C18). */
  roomJid(value: string): string;
  /** How `dialect` registers the room's channel for `deviceId` (C18, C19). */
  channel(dialect: Dialect, deviceId: string, room: string): RoomChannel;
  /** What `subscribe()` runs again for the device's room channels when `device` got a new token (C20). */
  renewals(stored: readonly Registration[], device: Registration, options: RegisterOptions): RegisterOptions[];
}

export const rooms: RoomsExtension = {
  name: "rooms",
  roomJid: roomJidOf,
  channel: roomChannel,
  renewals(stored, device, options) {
    // As Conversations re-registers every channel on a new FCM token.
    const channels = stored.filter(
      (registration) =>
        registration.muc !== undefined &&
        registration.appServer === device.appServer &&
        registration.provider === device.provider &&
        registration.deviceId === device.deviceId &&
        registration.token !== device.token,
    );
    return channels.map((room) => {
      const { pushOptions: _account, deviceName: _name, ...shared } = options;
      const renewed: RegisterOptions = { ...shared, deviceId: room.deviceId, dialect: room.dialect, muc: room.muc! };
      if (room.deviceName !== undefined) renewed.deviceName = room.deviceName;
      if (room.pushOptions) renewed.pushOptions = room.pushOptions;
      return renewed;
    });
  },
};
