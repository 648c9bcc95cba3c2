import { xml } from "../../protocol/index.js";
import type { MucContext } from "./context.js";

/**
 * M4, Prosody's mod_muc_offline_delivery (with `muc_offline_delivery_default` on): at
 * `muc-add-history`, each affiliated user with a reserved nick that no occupant holds gets a copy
 * of the message at the bare JID — from the room JID with the sender's nick, the body
 * untouched — so that the user's own server handles it as a groupchat message to an account
 * (mod_cloud_notify's `message/bare/groupchat` push).
 */
export function offlineDelivery(context: MucContext): void {
  context.hooks.hook("muc-add-history", ({ room, stanza }) => {
    for (const [member, data] of room.affiliations) {
      if (data.nick === undefined || data.affiliation === "outcast" || room.occupants.has(data.nick)) continue;
      const copy = xml("message", { ...stanza.attrs, to: member }, ...stanza.getChildElements());
      context.send(copy);
      context.emit("offline-delivery", member, copy);
    }
  });
}
