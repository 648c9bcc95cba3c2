import { xml } from "../../../../protocol/index.js";
import type { ServerModule } from "../../module.js";
import { TIGASE } from "./namespaces.js";
import { enableChild } from "./settings.js";

/**
 * Tigase's `tigase:push:priority:0` (PriorityExtension, TS7): with `<priority/>` in the enable,
 * each notification carries `<priority xmlns='tigase:push:priority:0'>high|low</priority>` —
 * high for a message with a body or a call proposal (XEP-0353, Tigase Meet), low otherwise.
 */
export function tigasePriorityModule(): ServerModule {
  return {
    name: "tigase-priority",
    load(host) {
      const wanted = enableChild(host, "priority", TIGASE.priority, () => true);
      host.hook("cloud-notify/push", ({ registration, notification, stanza }) => {
        if (!wanted.has(registration)) return undefined;
        const high =
          stanza !== undefined &&
          (stanza.getChild("body") !== undefined || stanza.getChild("propose", TIGASE.jingleMessage) !== undefined || stanza.getChild("propose", "tigase:meet:0") !== undefined);
        notification.append(xml("priority", { xmlns: TIGASE.priority }, high ? "high" : "low"));
        return undefined;
      });
    },
  };
}
