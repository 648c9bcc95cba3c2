/**
 * The reference server as a core and modules: a module of one's own plugs in through the
 * options, with IQ handlers, disco features and hooks, and no edit of the core; a preset is a
 * list of modules.
 */

import { type Client, xml } from "@xmpp/client";
import { afterEach, describe, expect, it } from "vitest";
import { type Element, NS } from "../../../src/protocol/index.js";
import { createXmppServer, PRESETS, type ServerModule, type XmppServer } from "../../../src/sim/index.js";
import { chat, waitFor } from "../../helpers/chain.js";
import { asClient } from "../../helpers/real-client.js";

const NS_VERSION = "jabber:iq:version";

let server: XmppServer;
const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((xmpp) => xmpp.stop().catch(() => undefined)));
  await server?.close();
});

async function connect(username: string): Promise<Client> {
  const xmpp = asClient(server.client({ username, password: "pw", resource: "r" }));
  xmpp.on("error", () => {});
  clients.push(xmpp);
  await xmpp.start();
  return xmpp;
}

/** XEP-0092 software version at the domain, and a look at every message to a bare JID. */
function versionModule(seen: string[]): ServerModule {
  return {
    name: "version",
    load(host) {
      host.addFeature("host", NS_VERSION);
      host.handleIq("host", "get", NS_VERSION, "query", () => xml("query", { xmlns: NS_VERSION }, xml("name", {}, "xmpp-push reference"), xml("version", {}, "test")));
      host.hook("message/bare", ({ account, stanza }) => {
        seen.push(`${account}: ${stanza.getChildText("body") ?? ""}`);
      }, 1);
    },
  };
}

describe("modules", () => {
  it("a module passed in the options answers its IQs, advertises its feature and sees messages before delivery", async () => {
    const seen: string[] = [];
    server = createXmppServer({ domain: "example.test", users: { alice: "pw", bob: "pw" }, modules: [versionModule(seen)] });
    const alice = await connect("alice");

    const version = await alice.iqCaller.request(xml("iq", { type: "get", to: "example.test" }, xml("query", { xmlns: NS_VERSION })));
    expect(version.getChild("query")?.getChildText("name")).toBe("xmpp-push reference");
    const info = await alice.iqCaller.request(xml("iq", { type: "get", to: "example.test" }, xml("query", { xmlns: NS.discoInfo })));
    expect(info.getChild("query")?.getChildren("feature").map((feature: Element) => feature.attrs.var)).toContain(NS_VERSION);

    await alice.send(chat("bob@example.test", "for later"));
    await waitFor(() => server.offlineMessages("bob").length === 1, 3000, "stored for bob");
    // The module's hook ran first, and the core's delivery (here: offline storage) still followed.
    expect(seen).toEqual(["bob@example.test: for later"]);
  });

  it("every preset is a list of modules; the account advertises what its modules registered", async () => {
    for (const preset of Object.values(PRESETS)) expect(preset.modules).toEqual(expect.arrayContaining(["disco", "offline", "stream-management", "push"]));
    server = createXmppServer({ domain: "example.test", users: { alice: "pw", bob: "pw" }, streamManagement: { enabled: false } });
    const alice = await connect("alice");
    const info = await alice.iqCaller.request(xml("iq", { type: "get" }, xml("query", { xmlns: NS.discoInfo })));
    expect(info.getChild("query")?.getChildren("feature").map((feature: Element) => feature.attrs.var)).toEqual([NS.discoInfo, NS.discoItems, NS.push]);
  });
});
