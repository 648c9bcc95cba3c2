import { afterEach, describe, expect, it } from "vitest";
import { goOffline, chat, nextEvent, waitFor } from "../../helpers/chain.js";
import { rejection } from "../../helpers/push-error.js";
import type { PubsubDelivery } from "../../../src/sim/index.js";
import { createIq, deleteIq, type MongooseChain, mongooseChain, publishIq, PUBSUB, request } from "./setup.js";

let chain: MongooseChain;
afterEach(async () => {
  await chain?.close();
});

describe("MongooseIM PubSub-full: the client creates its push node at the pubsub service (seed 004, client-side guide; MG2, MG3)", () => {
  it('004: "This is, historically, the most common setup." — create → enable → offline message → MongoosePush called with device_id and service', async () => {
    chain = mongooseChain();
    const bob = await chain.device("bob");
    const info = await bob.push.discover(PUBSUB);
    expect(info.dialect).toBe("mongooseim");

    const registration = await bob.push.subscribe({ appServer: PUBSUB, provider: "apns", token: "bob-apns-token", fields: { topic: "org.example.app", mode: "dev" } });
    expect(registration).toMatchObject({ jid: PUBSUB, dialect: "mongooseim", publishOptions: { device_id: "bob-apns-token", service: "apns", topic: "org.example.app", mode: "dev" } });
    const [node] = chain.pubsub.nodes();
    expect(node).toMatchObject({ name: registration.node, type: "push", owner: "bob@example.test", accessModel: "whitelist", publishModel: "publishers" });
    // The guide's "Adding the server's JID to allowed publishers".
    expect(Object.fromEntries(node!.affiliations)).toEqual({ "bob@example.test": "owner", "example.test": "publish-only" });
    expect(chain.server.registrations("bob")).toMatchObject([{ jid: PUBSUB, node: registration.node }]);

    await goOffline(chain, bob.xmpp);
    const alice = await chain.connect("alice", "laptop");
    const answered = nextEvent(chain.server, "publish-result");
    await alice.send(chat("bob@example.test", "Hi Bob"));
    await answered;
    expect(chain.pubsub.deliveries).toMatchObject([
      {
        service: "apns",
        deviceId: "bob-apns-token",
        node: registration.node,
        publisher: "example.test",
        summary: { lastMessageBody: "Hi Bob", lastMessageSender: "alice@example.test" },
        publishOptions: { device_id: "bob-apns-token", service: "apns", topic: "org.example.app", mode: "dev" },
      },
    ]);
  });

  it("the service raises `delivered` for each notification a provider accepts, and none for a refused one", async () => {
    chain = mongooseChain();
    const delivered: PubsubDelivery[] = [];
    chain.pubsub.on("delivered", (delivery) => void delivered.push(delivery));
    const bob = await chain.device("bob");
    await bob.push.subscribe({ appServer: PUBSUB, provider: "fcm", token: "bob-fcm-token" });
    await goOffline(chain, bob.xmpp);
    const alice = await chain.connect("alice");
    const answered = nextEvent(chain.server, "publish-result");
    await alice.send(chat("bob@example.test", "first"));
    await answered;
    expect(delivered).toMatchObject([{ service: "fcm", deviceId: "bob-fcm-token", summary: { lastMessageBody: "first" } }]);
    // The same delivery, each stamped by its own clock reading (the record when the provider took it, the event once it answered).
    const withoutTime = ({ at: _at, ...delivery }: PubsubDelivery) => delivery;
    expect(delivered.map(withoutTime)).toEqual(chain.pubsub.deliveries.map(withoutTime));

    chain.pubsub.failToken("bob-fcm-token");
    const failed = nextEvent(chain.server, "publish-error");
    await alice.send(chat("bob@example.test", "second"));
    await failed;
    expect(delivered).toHaveLength(1);
  });

  it("unsubscribe deletes the node it created (XEP-0060 §8.4)", async () => {
    chain = mongooseChain();
    const bob = await chain.device("bob");
    await bob.push.subscribe({ appServer: PUBSUB, provider: "fcm", token: "t" });
    expect(chain.pubsub.nodes()).toHaveLength(1);
    const report = await bob.push.unsubscribe();
    expect(report.errors).toEqual([]);
    expect(chain.pubsub.nodes()).toEqual([]);
    expect(chain.server.registrations("bob")).toEqual([]);
  });

  it("a new token makes a new node and removes the old one; re-enabling after reconnect keeps the node", async () => {
    chain = mongooseChain();
    const bob = await chain.device("bob");
    const first = await bob.push.subscribe({ appServer: PUBSUB, provider: "fcm", token: "old" });
    const again = await bob.push.subscribe({ appServer: PUBSUB, provider: "fcm", token: "old" });
    expect(again.node).toBe(first.node);
    const second = await bob.push.subscribe({ appServer: PUBSUB, provider: "fcm", token: "new" });
    expect(second.node).not.toBe(first.node);
    expect(chain.pubsub.nodes().map((node) => node.name)).toEqual([second.node]);
    expect(chain.server.registrations("bob").map((registration) => registration.node)).toEqual([second.node]);
  });

  it('002: "Please be sure to provide all form fields required by the specified PubSub node." — without device_id the publish is conflict + precondition-not-met, of type cancel, and the registration goes', async () => {
    chain = mongooseChain();
    const bob = await chain.device("bob");
    const registration = await bob.push.register({ appServer: PUBSUB, provider: "fcm", token: "t" });
    await bob.push.enable({ jid: registration.jid, node: registration.node, publishOptions: { service: "fcm" } });
    await goOffline(chain, bob.xmpp);
    const alice = await chain.connect("alice");
    const failed = nextEvent(chain.server, "publish-error");
    await alice.send(chat("bob@example.test", "x"));
    const [, error, removed] = await failed;
    expect([error.condition, error.type, error.specific, removed]).toEqual(["conflict", "cancel", "precondition-not-met", true]);
    expect(chain.pubsub.deliveries).toEqual([]);
  });

  it('002: "Any publish error may result in disabling push notifications to this node." — an unregistered device (not-acceptable, cancel) disables it (mod_event_pusher_push_plugin_defaults handle_publish_response)', async () => {
    chain = mongooseChain();
    const bob = await chain.device("bob");
    await bob.push.subscribe({ appServer: PUBSUB, provider: "fcm", token: "gone" });
    chain.pubsub.failToken("gone");
    await goOffline(chain, bob.xmpp);
    const alice = await chain.connect("alice");
    const failed = nextEvent(chain.server, "publish-error");
    await alice.send(chat("bob@example.test", "x"));
    const [, error, removed] = await failed;
    expect([error.condition, error.type, error.specific, removed]).toEqual(["not-acceptable", "cancel", "device-not-registered", true]);
    await waitFor(() => chain.server.registrations("bob").length === 0);
  });
});

describe("the pubsub service answers as XEP-0060 says (MG1)", () => {
  it("conflict for an existing node, nodeid-required for a push node without a name, not-acceptable for an unknown model", async () => {
    chain = mongooseChain();
    const bob = await chain.connect("bob");
    await request(bob, createIq(PUBSUB, "n1", { "pubsub#access_model": "whitelist" }));
    expect(await rejection(request(bob, createIq(PUBSUB, "n1")))).toMatchObject({ condition: "conflict", type: "cancel" });
    expect(await rejection(request(bob, createIq(PUBSUB, undefined)))).toMatchObject({ condition: "not-acceptable", specific: "nodeid-required" });
    expect(await rejection(request(bob, createIq(PUBSUB, "n2", { "pubsub#publish_model": "everyone" })))).toMatchObject({ condition: "not-acceptable" });
    expect(chain.pubsub.nodes().map((node) => node.name)).toEqual(["n1"]);
  });

  it("only the owner deletes (forbidden); a missing node is item-not-found", async () => {
    chain = mongooseChain();
    const bob = await chain.connect("bob");
    const alice = await chain.connect("alice");
    await request(bob, createIq(PUBSUB, "n1"));
    expect(await rejection(request(alice, deleteIq(PUBSUB, "n1")))).toMatchObject({ condition: "forbidden", type: "auth" });
    expect(await rejection(request(bob, deleteIq(PUBSUB, "none")))).toMatchObject({ condition: "item-not-found" });
    await request(bob, deleteIq(PUBSUB, "n1"));
    expect(chain.pubsub.nodes()).toEqual([]);
  });

  it("publish model publishers: an unaffiliated publisher is forbidden; the owner may publish", async () => {
    chain = mongooseChain();
    const bob = await chain.connect("bob");
    const alice = await chain.connect("alice");
    await request(bob, createIq(PUBSUB, "n1", { "pubsub#publish_model": "publishers" }));
    const options = { device_id: "d", service: "fcm" };
    expect(await rejection(request(alice, publishIq(PUBSUB, "n1", options)))).toMatchObject({ condition: "forbidden" });
    expect(await rejection(request(alice, publishIq(PUBSUB, "none", options)))).toMatchObject({ condition: "item-not-found" });
    await request(bob, publishIq(PUBSUB, "n1", options));
    expect(chain.pubsub.deliveries).toMatchObject([{ deviceId: "d", service: "fcm", publisher: "bob@example.test" }]);
  });
});
