import { bareJid } from "../../../../protocol/index.js";
import type { ServerModule } from "../../module.js";
import { TIGASE } from "./namespaces.js";
import { enableChild } from "./settings.js";

/**
 * Tigase's `tigase:push:filter:ignore-unknown:0` (IgnoreFromUnknownFilter, TS4): with
 * `<ignore-unknown/>` in the enable, no push for a message (other than groupchat) whose sender
 * is not in the account's roster. Needs the roster module; without one nobody is known.
 */
export function tigaseIgnoreUnknownModule(): ServerModule {
  return {
    name: "tigase-ignore-unknown",
    load(host) {
      const ignoring = enableChild(host, "ignore-unknown", TIGASE.ignoreUnknown, () => true);
      host.hook(
        "cloud-notify/push",
        ({ account, registration, stanza }) => {
          if (!stanza || !ignoring.has(registration) || stanza.attrs.type === "groupchat") return undefined;
          const from = bareJid(String(stanza.attrs.from ?? ""));
          return host.fire("roster-item", { account, contact: from }) === undefined ? true : undefined;
        },
        10,
      );
    },
  };
}
