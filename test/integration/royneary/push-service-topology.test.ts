import { xml } from "@xmpp/client";
import { afterEach, describe, expect, it } from "vitest";
import { NS } from "../../../src/protocol/index.js";
import { PushClient } from "../../../src/index.js";
import { createAppServer, createPubsubService, createXmppServer, type PubsubForward, type XmppServer } from "../../../src/sim/index.js";
import { chat, nextEvent, waitFor } from "../../helpers/chain.js";
import { ManagedClients } from "../../helpers/managed-clients.js";
import { publishOptionsForm } from "../../helpers/push-iq.js";

const APP_SERVER = "apps.example.net";
const PUSH_SERVICE = "push.example.net";

let server: XmppServer;
const clients = new ManagedClients();
afterEach(async () => {
  await clients.stopAll();
  await server?.close();
});

/** royneary's topology: the user's server, an app server, and a separate XMPP Push Service in front of it. */
function topology(appServerJid = APP_SERVER) {
  server = createXmppServer({ domain: "example.net", users: { alice: "pw", steve: "pw" }, preset: "royneary" });
  const pushService = createPubsubService({ jid: PUSH_SERVICE, pushNodes: "subscribers" });
  const appServer = createAppServer({ jid: appServerJid, pushService: PUSH_SERVICE });
  server.attach(pushService);
  server.attach(appServer);
  const forwards: PubsubForward[] = [];
  pushService.on("forwarded", (forward) => forwards.push(forward));
  return { pushService, appServer, forwards };
}

async function steveSubscribesAndGoesOffline(appServer = APP_SERVER) {
  const steve = await clients.connect(server, "steve", "home");
  const registration = await new PushClient(steve).subscribe({ appServer, provider: "apns", token: "r3qpHKmz" });
  await steve.stop();
  await waitFor(() => server.resources("steve").length === 0, 3000, "steve offline");
  return { registration };
}

describe('000: "The App Server creates PubSub nodes at the Push Service and the XMPP Push Service forwards incoming notifications to the App Server."', () => {
  it("R8, R7: register at the app server, enable at the push service; the offline message's publish is forwarded and delivered; unregister removes the node", async () => {
    const { pushService, appServer, forwards } = topology();
    const { registration } = await steveSubscribesAndGoesOffline();

    // The register response names the push service; the node is there, the app server's, with the secret.
    expect(registration).toMatchObject({ appServer: APP_SERVER, jid: PUSH_SERVICE });
    expect(server.registrations("steve")).toMatchObject([{ jid: PUSH_SERVICE, node: registration.node }]);
    const [node] = pushService.nodes();
    expect(node).toMatchObject({ name: registration.node, type: "push", owner: APP_SERVER, accessModel: "whitelist", publishModel: "open" });
    expect(node!.config["pubsub#secret"]).toEqual([registration.secret]);
    expect([...node!.subscribers]).toEqual([APP_SERVER]);

    const alice = await clients.connect(server, "alice", "laptop");
    const [published, delivered] = [nextEvent(server, "published"), nextEvent(appServer, "delivered")];
    await alice.send(chat("steve@example.net", "hi"));
    expect((await published)[1].attrs.to).toBe(PUSH_SERVICE);
    expect((await delivered)[0]).toMatchObject({ provider: "apns", token: "r3qpHKmz", node: registration.node, owner: "steve@example.net", summary: { messageCount: 1 } });
    expect(forwards).toMatchObject([{ node: registration.node, publisher: "steve@example.net", subscriber: APP_SERVER }]);
    await waitFor(() => server.registrations("steve").length === 1, 3000, "the publish answered");

    const again = await clients.connect(server, "steve", "home");
    await new PushClient(again).unregister(APP_SERVER, { nodes: [registration.node] });
    expect(pushService.nodes()).toEqual([]);
    expect(appServer.registrations()).toEqual([]);
  });

  it("R7: a publish without the node's secret is forbidden at the push service and forwarded nowhere", async () => {
    const { forwards } = topology();
    const { registration } = await steveSubscribesAndGoesOffline();
    const alice = await clients.connect(server, "alice", "laptop");
    const item = xml("item", {}, xml("notification", { xmlns: NS.push }));
    const pubsub = (secret: string) =>
      xml("pubsub", { xmlns: NS.pubsub }, xml("publish", { node: registration.node }, item), xml("publish-options", {}, publishOptionsForm(secret)));
    await expect(alice.iqCaller.request(xml("iq", { type: "set", to: PUSH_SERVICE }, pubsub("not-the-secret")))).rejects.toMatchObject({ condition: "forbidden" });
    expect(forwards).toEqual([]);
  });

  it("R7: only the node's owner may subscribe to it, and only itself", async () => {
    topology();
    const { registration } = await steveSubscribesAndGoesOffline();
    const alice = await clients.connect(server, "alice", "laptop");
    const subscribe = (jid: string) =>
      alice.iqCaller.request(xml("iq", { type: "set", to: PUSH_SERVICE }, xml("pubsub", { xmlns: NS.pubsub }, xml("subscribe", { node: registration.node, jid }))));
    await expect(subscribe("alice@example.net")).rejects.toMatchObject({ condition: "not-allowed" });
    await expect(subscribe(APP_SERVER)).rejects.toMatchObject({ condition: "bad-request" });
  });

  it("R8: a device the provider rejects loses its node at the push service, so the user's server disables it at the next publish", async () => {
    const { pushService, appServer } = topology();
    const { registration } = await steveSubscribesAndGoesOffline();
    appServer.failToken("r3qpHKmz");
    const alice = await clients.connect(server, "alice", "laptop");

    const rejected = nextEvent(appServer, "rejected");
    await alice.send(chat("steve@example.net", "one"));
    expect((await rejected)[0]).toMatchObject({ node: registration.node, from: PUSH_SERVICE, condition: "item-not-found" });
    await waitFor(() => pushService.nodes().length === 0, 3000, "the node deleted at the push service");

    const failed = nextEvent(server, "publish-error");
    await alice.send(chat("steve@example.net", "two"));
    const [failedRegistration, error, removed] = await failed;
    expect(failedRegistration).toMatchObject({ jid: PUSH_SERVICE, node: registration.node });
    expect(error).toMatchObject({ condition: "item-not-found" });
    expect(removed).toBe(true);
    expect(server.registrations("steve")).toEqual([]);
  });

  it("R11: the app server at the user's own domain (register_host) with the push service: its requests are answered and the forwards reach it there", async () => {
    const { pushService, appServer, forwards } = topology("example.net");
    const { registration } = await steveSubscribesAndGoesOffline("example.net");
    expect(registration).toMatchObject({ appServer: "example.net", jid: PUSH_SERVICE });
    expect([...pushService.nodes()[0]!.subscribers]).toEqual(["example.net"]);

    const alice = await clients.connect(server, "alice", "laptop");
    const delivered = nextEvent(appServer, "delivered");
    await alice.send(chat("steve@example.net", "hi"));
    expect((await delivered)[0]).toMatchObject({ token: "r3qpHKmz", node: registration.node, owner: "steve@example.net" });
    expect(forwards).toMatchObject([{ node: registration.node, subscriber: "example.net" }]);

    // A notification-shaped message from anyone but the push service changes nothing.
    await alice.send(xml("message", { to: "example.net" }, xml("event", { xmlns: NS.pubsubEvent }, xml("items", { node: registration.node }, xml("item", {}, xml("notification", { xmlns: NS.push }))))));
    await alice.send(chat("steve@example.net", "again"));
    await waitFor(() => appServer.deliveries.length === 2, 3000, "the second delivery");
    expect(appServer.deliveries).toHaveLength(2);
  });
});
