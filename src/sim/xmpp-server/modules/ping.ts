import { NS } from "../../../protocol/index.js";
import type { ServerModule } from "../module.js";

/** XEP-0199: the server and every account answer a ping. */
export function pingModule(): ServerModule {
  return {
    name: "ping",
    load(host) {
      host.addFeature("host", NS.ping);
      host.handleIq("host", "get", NS.ping, "ping", () => undefined);
      host.handleIq("self", "get", NS.ping, "ping", () => undefined);
    },
  };
}
