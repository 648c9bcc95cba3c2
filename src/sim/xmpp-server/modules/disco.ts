import { buildDiscoInfo, buildDiscoItems, NS, PushError } from "../../../protocol/index.js";
import type { ServerModule } from "../module.js";

/**
 * XEP-0030 service discovery: the account (identity account/registered, S1) and the server
 * (server/im, with the attached components as items). Features come from the modules that
 * registered them (`host.addFeature`), as Prosody's mod_disco collects them.
 */
export function discoModule(): ServerModule {
  return {
    name: "disco",
    load(host) {
      for (const scope of ["account", "host"] as const) {
        host.addFeature(scope, NS.discoInfo);
        host.addFeature(scope, NS.discoItems);
      }
      host.handleIq("self", "get", NS.discoInfo, "query", ({ payload, context }) => {
        if (payload.attrs.node) throw new PushError("service-unavailable");
        const forms = context.account ? host.discoForms("account", context.account) : [];
        return buildDiscoInfo({ identities: [{ category: "account", type: "registered" }], features: [...host.features("account")], forms });
      });
      host.handleIq("self", "get", NS.discoItems, "query", () => buildDiscoItems({ items: [] }));
      host.handleIq("host", "get", NS.discoInfo, "query", ({ payload }) => {
        if (payload.attrs.node) throw new PushError("service-unavailable");
        return buildDiscoInfo({
          identities: [{ category: "server", type: "im", name: "xmpp-push reference server" }],
          features: [...host.features("host")],
          forms: [],
        });
      });
      host.handleIq("host", "get", NS.discoItems, "query", ({ payload }) => {
        if (payload.attrs.node) throw new PushError("service-unavailable");
        return buildDiscoItems({ items: host.components().map((jid) => ({ jid })) });
      });
    },
  };
}
