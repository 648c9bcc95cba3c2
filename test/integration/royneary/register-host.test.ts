import { xml } from "@xmpp/client";
import { afterEach, describe, expect, it } from "vitest";
import { NS } from "../../../src/protocol/index.js";
import { PushClient } from "../../../src/index.js";
import { createAppServer, createXmppServer, type XmppServer } from "../../../src/sim/index.js";
import { chat, nextEvent, waitFor } from "../../helpers/chain.js";
import { ManagedClients } from "../../helpers/managed-clients.js";

let server: XmppServer;
const clients = new ManagedClients();
afterEach(async () => {
  await clients.stopAll();
  await server?.close();
});

describe('001: "register_host: the app server host where users can register. Should be the XMPP server host, so users don\'t have to guess it"', () => {
  it("R6: register at the user's domain, enable at pubsubHost; the publish goes to pubsubHost and is delivered", async () => {
    server = createXmppServer({ domain: "example.net", users: { alice: "pw", steve: "pw" }, preset: "royneary" });
    const appServer = createAppServer({ jid: "example.net", pubsubHost: "push.example.net" });
    server.attach(appServer);

    const steve = await clients.connect(server, "steve", "home");
    const push = new PushClient(steve);
    // 001: "The app server returns the jid of the pubsub host and a pubsub node name."
    expect((await push.discover("example.net")).dialect).toBe("mod-push");
    const registration = await push.subscribe({ appServer: "example.net", provider: "apns", token: "r3qpHKmz" });
    expect(registration).toMatchObject({ appServer: "example.net", jid: "push.example.net" });
    expect(server.registrations("steve")).toMatchObject([{ jid: "push.example.net", node: registration.node }]);
    // The server's own disco still answers for the domain.
    const info = await steve.iqCaller.request(xml("iq", { type: "get", to: "example.net" }, xml("query", { xmlns: NS.discoInfo })));
    expect(info.getChild("query", NS.discoInfo)?.getChild("identity")?.attrs).toMatchObject({ category: "server", type: "im" });
    await steve.stop();
    await waitFor(() => server.resources("steve").length === 0, 3000, "steve offline");

    const alice = await clients.connect(server, "alice", "laptop");
    const published = nextEvent(server, "published");
    const delivered = nextEvent(appServer, "delivered");
    await alice.send(chat("steve@example.net", "hi"));
    const [, publish] = await published;
    expect(publish.attrs.to).toBe("push.example.net");
    expect((await delivered)[0]).toMatchObject({ provider: "apns", token: "r3qpHKmz", node: registration.node });
  });

  it("R6: with a separate pubsubHost, the register host takes no publishes", async () => {
    server = createXmppServer({ domain: "example.net", users: { steve: "pw" } });
    const appServer = createAppServer({ jid: "apps.example.net", pubsubHost: "push.example.net" });
    server.attach(appServer);
    const steve = await clients.connect(server, "steve", "home");
    const registration = await new PushClient(steve).register({ appServer: "apps.example.net", provider: "fcm", token: "t" });
    expect(registration.jid).toBe("push.example.net");
    const publish = xml(
      "iq",
      { type: "set", to: "apps.example.net" },
      xml("pubsub", { xmlns: NS.pubsub }, xml("publish", { node: registration.node }, xml("item", {}, xml("notification", { xmlns: NS.push })))),
    );
    await expect(steve.iqCaller.request(publish)).rejects.toMatchObject({ condition: "service-unavailable" });
  });
});
