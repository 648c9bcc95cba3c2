import { bareJid, type Element } from "../../../../protocol/index.js";
import type { ServerModule } from "../../module.js";
import { isJid } from "./muted.js";
import { TIGASE } from "./namespaces.js";
import { badEnable, enableChild } from "./settings.js";
import { rawBodyOf } from "./stanza.js";

type RoomRule = { readonly allow: "always" } | { readonly allow: "mentioned"; readonly nick: string };

/**
 * Tigase's `tigase:push:filter:groupchat:0` (GroupchatFilter, TS6): with
 * `<groupchat><room jid allow='always|mentioned' nick/></groupchat>` in the enable, a groupchat
 * message pushes only from a listed room: always, or when its body contains the nick. Rooms not
 * listed do not push. Also Tigase's groupchat trigger (GroupchatPushNotificationsExtension): a
 * groupchat message with a body to the account's bare JID, while no session can take it, pushes.
 */
export function tigaseGroupchatModule(): ServerModule {
  return {
    name: "tigase-groupchat",
    load(host) {
      const rules = enableChild(host, "groupchat", TIGASE.groupchat, parseRooms);
      host.hook(
        "cloud-notify/push",
        ({ registration, stanza }) => {
          const rooms = rules.get(registration);
          if (!stanza || !rooms || stanza.attrs.type !== "groupchat") return undefined;
          return allows(rooms, stanza) ? undefined : true;
        },
        10,
      );
      host.hook("message/bare", ({ account, stanza }) => {
        if (stanza.attrs.type !== "groupchat" || !stanza.getChild("body") || stanza.getChild("mix", TIGASE.mix)) return undefined;
        if (host.availableSessionsOf(account).length > 0) return undefined;
        host.fire("cloud-notify-ping", { account, nodes: undefined, stanza });
        return undefined;
      });
    },
  };
}

function parseRooms(groupchat: Element): Map<string, RoomRule> {
  const rooms = new Map<string, RoomRule>();
  for (const room of groupchat.getChildElements()) {
    const { jid, allow, nick } = room.attrs as Record<string, unknown>;
    if (typeof jid !== "string" || !isJid(jid)) throw badEnable(`a groupchat room needs a valid jid, got '${String(jid)}'`, room);
    if (allow === "always") rooms.set(bareJid(jid), { allow });
    else if (allow === "mentioned") {
      if (typeof nick !== "string" || nick === "") throw badEnable(`room ${jid}: allow='mentioned' needs a nick`, room);
      rooms.set(bareJid(jid), { allow, nick });
    } else throw badEnable(`room ${jid}: allow is 'always' or 'mentioned', got '${String(allow)}'`, room);
  }
  return rooms;
}

function allows(rooms: ReadonlyMap<string, RoomRule>, stanza: Element): boolean {
  const rule = rooms.get(bareJid(String(stanza.attrs.from ?? "")));
  if (!rule) return false;
  if (rule.allow === "always") return true;
  // Tigase's isMentioned: the nick anywhere in the body, case-sensitive.
  return rawBodyOf(stanza)?.includes(rule.nick) ?? false;
}
