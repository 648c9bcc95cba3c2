/**
 * How the app server describes itself (XEP-0030): its disco#info identity and features, the
 * command nodes, and the ad-hoc command list on disco#items — also with custom providers.
 */

import { describe, expect, it } from "vitest";
import { buildDiscoInfoQuery, buildDiscoItemsQuery, buildIq, type Element, NS, parseDiscoInfo, parseDiscoItems } from "../../../src/protocol/index.js";
import { createRecordingProvider, type Delivery } from "../../../src/sim/index.js";
import { APP, BOB, submit } from "../../helpers/app-server-fixtures.js";
import { useAppServer } from "../../helpers/app-server-harness.js";
import { errorOf } from "../../helpers/stanza-error.js";

const ALL_PROVIDERS = ["apns", "gcm", "fcm", "mozilla", "ubuntu", "wns", "webpush"];

const app = useAppServer();
const { start, exchange, command } = app;

describe("A1 service discovery", () => {
  it("A1: disco#info lists identity pubsub/push and the push, commands, pubsub and disco features", async () => {
    const reply = await exchange(buildIq({ type: "get", from: BOB, to: APP }, buildDiscoInfoQuery()));
    expect(reply.attrs).toMatchObject({ type: "result", to: BOB, from: APP });
    const info = parseDiscoInfo(reply.getChild("query", NS.discoInfo) as Element);
    expect(info.identities).toEqual([{ category: "pubsub", type: "push", name: "xmpp-push app server" }]);
    expect(info.features).toEqual([NS.discoInfo, NS.discoItems, NS.commands, NS.push, NS.pubsub]);
  });

  it("A1: disco#info on a command node is an automation/command-node with commands + data forms", async () => {
    const reply = await exchange(buildIq({ type: "get", from: BOB, to: APP }, buildDiscoInfoQuery("register-push-fcm")));
    const info = parseDiscoInfo(reply.getChild("query", NS.discoInfo) as Element);
    expect(info.node).toBe("register-push-fcm");
    expect(info.identities).toEqual([{ category: "automation", type: "command-node", name: "Register a fcm device" }]);
    expect(info.features).toEqual([NS.commands, NS.dataForms]);
  });

  it("A1: disco#info on an unknown node is item-not-found", async () => {
    const reply = await exchange(buildIq({ type: "get", from: BOB, to: APP }, buildDiscoInfoQuery("no-such-node")));
    expect(errorOf(reply)).toMatchObject({ type: "cancel", condition: "item-not-found" });
  });

  it("A1: a reply to an IQ without `to` comes from the app server's JID", async () => {
    const reply = await exchange(buildIq({ type: "get", from: BOB }, buildDiscoInfoQuery()));
    expect(reply.attrs.from).toBe(APP);
  });
});

describe("A2 command list", () => {
  it("A2: disco#items on the commands node lists a register command per provider, list and unregister", async () => {
    const reply = await exchange(buildIq({ type: "get", from: BOB, to: APP }, buildDiscoItemsQuery(NS.commands)));
    const items = parseDiscoItems(reply.getChild("query", NS.discoItems) as Element);
    expect(items.node).toBe(NS.commands);
    expect(items.items).toEqual([
      ...ALL_PROVIDERS.map((provider) => ({ jid: APP, node: `register-push-${provider}`, name: `Register a ${provider} device` })),
      { jid: APP, node: "list-push-registrations", name: "List push registrations" },
      { jid: APP, node: "unregister-push", name: "Unregister push" },
    ]);
  });

  it("A2: with custom providers only their register commands are listed and executable", async () => {
    const deliveries: Delivery[] = [];
    start({ providers: { fcm: createRecordingProvider("fcm", deliveries) } });
    const reply = await exchange(buildIq({ type: "get", from: BOB, to: APP }, buildDiscoItemsQuery(NS.commands)));
    const nodes = parseDiscoItems(reply.getChild("query", NS.discoItems) as Element).items.map((item) => item.node);
    expect(nodes).toEqual(["register-push-fcm", "list-push-registrations", "unregister-push"]);
    const refused = await command(BOB, { node: "register-push-apns", form: submit({ token: "t" }) });
    expect(errorOf(refused)).toMatchObject({ type: "cancel", condition: "item-not-found" });
  });

  it("A2: disco#items on the service root lists no nodes; on another node it is item-not-found", async () => {
    const root = await exchange(buildIq({ type: "get", from: BOB, to: APP }, buildDiscoItemsQuery()));
    expect(parseDiscoItems(root.getChild("query", NS.discoItems) as Element).items).toEqual([]);
    const other = await exchange(buildIq({ type: "get", from: BOB, to: APP }, buildDiscoItemsQuery("elsewhere")));
    expect(errorOf(other).condition).toBe("item-not-found");
  });
});
