import { xml } from "../../../protocol/index.js";
import type { ServerModule } from "../module.js";

const NS_ROSTER = "jabber:iq:roster";

/** RFC 6121 roster get: every account's roster is empty (clients ask for it at login). */
export function rosterModule(): ServerModule {
  return {
    name: "roster",
    load(host) {
      host.handleIq("self", "get", NS_ROSTER, "query", () => xml("query", { xmlns: NS_ROSTER }));
    },
  };
}
