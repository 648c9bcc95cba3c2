import { bareJid, toJid } from "../../../../protocol/index.js";
import type { ServerModule } from "../../module.js";
import { TIGASE } from "./namespaces.js";
import { badEnable, enableChild } from "./settings.js";

/**
 * Tigase's `tigase:push:filter:muted:0` (MutedFilter, TS5): `<muted><item jid='…'/></muted>` in
 * the enable lists bare JIDs whose messages never push.
 */
export function tigaseMutedModule(): ServerModule {
  return {
    name: "tigase-muted",
    load(host) {
      const muted = enableChild(host, "muted", TIGASE.muted, (list) => {
        const jids = new Set<string>();
        for (const item of list.getChildElements()) {
          const jid = item.attrs.jid as unknown;
          if (typeof jid !== "string" || !isJid(jid)) throw badEnable(`a muted item needs a valid jid, got '${String(jid)}'`, item);
          jids.add(bareJid(jid));
        }
        return jids;
      });
      host.hook(
        "cloud-notify/push",
        ({ registration, stanza }) => (stanza && muted.get(registration)?.has(bareJid(String(stanza.attrs.from ?? ""))) ? true : undefined),
        10,
      );
    },
  };
}

export function isJid(value: string): boolean {
  try {
    toJid(value);
    return value !== "";
  } catch {
    return false;
  }
}
