import type { Element } from "../../../../protocol/index.js";
import type { ClientSession, PushRegistrationInfo, ServerModule } from "../../module.js";
import { TIGASE } from "./namespaces.js";
import { booleanAttribute } from "./settings.js";

/**
 * Tigase's `tigase:push:away:0` (AwayPushNotificationsExtension, TS9): an enable with
 * `away='true'` also gets pushes for messages with a body (not groupchat) that reach the account
 * while it is online but none of its available sessions is: every one's presence has a
 * `<show/>` (away, xa, dnd — and, as Tigase reads it, chat).
 */
export function tigaseAwayModule(): ServerModule {
  const away = new Map<string, Set<string>>();
  const shows = new WeakMap<ClientSession, string | undefined>();
  return {
    name: "tigase-away",
    load(host) {
      host.addFeature("account", TIGASE.away);
      host.hook("cloud-notify/registration", ({ account, enable, registration }) => {
        const nodes = away.get(account) ?? new Set<string>();
        away.set(account, nodes);
        // The registry keys by jid and node; a re-enable without away='true' turns it off.
        const key = identifier(registration);
        if (booleanAttribute(enable, "away")) nodes.add(key);
        else nodes.delete(key);
      });
      host.hook("resource-bind", ({ session }) => {
        session.filters.in.push((stanza) => {
          if (stanza.name === "presence" && !stanza.attrs.to && stanza.attrs.type === undefined) {
            shows.set(session, stanza.getChildText("show") ?? undefined);
          }
          return stanza;
        });
      });
      const received = ({ account, stanza }: { account: string; stanza: Element }) => {
        if (stanza.attrs.type === "groupchat" || !stanza.getChild("body")) return undefined;
        const available = host.availableSessionsOf(account);
        if (available.length === 0 || available.some((session) => shows.get(session) === undefined)) return undefined;
        const keys = away.get(account);
        if (!keys || keys.size === 0) return undefined;
        const nodes = [...keys].map((key) => key.slice(key.indexOf("<") + 1));
        host.fire("cloud-notify-ping", { account, nodes, stanza });
        return undefined;
      };
      host.hook("message/bare", received);
      host.hook("message/full", received);
    },
  };
}

function identifier(registration: PushRegistrationInfo): string {
  return `${registration.jid}<${registration.node}`;
}
