import { xml } from "@xmpp/client";
import { afterEach, describe, expect, it } from "vitest";
import type { PushOptions } from "../../src/sim/index.js";
import { APP_SERVER, bobSubscribesAndGoesOffline, type Chain, chat, createChain, goOffline, nextEvent, record, waitFor } from "../helpers/chain.js";

let chain: Chain;
afterEach(async () => {
  await chain?.close();
});

/** bob subscribes with an FCM token and goes offline; alice is online. */
async function bobSubscribedAndOffline(push?: PushOptions, token = "fcm-token-bob") {
  chain = createChain(push ? { push } : {});
  return bobSubscribesAndGoesOffline(chain, { provider: "fcm", token });
}

describe("offline message → publish → delivery (S5, S7, S8, S9)", () => {
  it("delivers exactly one notification with the right token, node and message-count 1", async () => {
    const { alice, registration } = await bobSubscribedAndOffline();
    const delivered = nextEvent(chain.appServer, "delivered");
    await alice.send(chat("bob@example.test", "Hello Bob"));
    const [delivery] = await delivered;

    expect(chain.appServer.deliveries).toHaveLength(1);
    expect(delivery).toMatchObject({ provider: "fcm", token: "fcm-token-bob", node: registration.node, owner: "bob@example.test" });
    expect(delivery.summary).toEqual({ messageCount: 1 });
  });

  it("publishes from the account's bare JID with the registration's publish-options verbatim (S7, S9)", async () => {
    const { alice, registration } = await bobSubscribedAndOffline();
    const published = nextEvent(chain.server, "published");
    await alice.send(chat("bob@example.test", "Hi"));
    const [, publish] = await published;

    expect(publish.attrs).toMatchObject({ type: "set", from: "bob@example.test", to: APP_SERVER });
    const pubsub = publish.getChild("pubsub", "http://jabber.org/protocol/pubsub");
    expect(pubsub?.getChild("publish")?.attrs.node).toBe(registration.node);
    const notification = pubsub?.getChild("publish")?.getChild("item")?.getChild("notification", "urn:xmpp:push:0");
    expect(notification).toBeDefined();
    const options = pubsub?.getChild("publish-options")?.getChild("x", "jabber:x:data");
    const fields = Object.fromEntries(options?.getChildren("field").map((field) => [field.attrs.var, field.getChildText("value")]) ?? []);
    expect(fields).toEqual({ FORM_TYPE: "http://jabber.org/protocol/pubsub#publish-options", secret: registration.secret });
  });

  it("counts messages since the last login and starts again after a login", async () => {
    const { bob, alice } = await bobSubscribedAndOffline();
    for (const body of ["one", "two", "three"]) await alice.send(chat("bob@example.test", body));
    await waitFor(() => chain.appServer.deliveries.length === 3, 3000, "three deliveries");
    expect(chain.appServer.deliveries.map((delivery) => delivery.summary.messageCount)).toEqual([1, 2, 3]);

    await bob.xmpp.start();
    await goOffline(chain, bob.xmpp);
    await alice.send(chat("bob@example.test", "four"));
    await waitFor(() => chain.appServer.deliveries.length === 4, 3000, "fourth delivery");
    expect(chain.appServer.deliveries[3]?.summary.messageCount).toBe(1);
  });

  it("leaves body and sender out by default (privacy, S8)", async () => {
    const { alice } = await bobSubscribedAndOffline();
    await alice.send(chat("bob@example.test", "secret plans"));
    await waitFor(() => chain.appServer.deliveries.length === 1);
    const { summary } = chain.appServer.deliveries[0]!;
    expect(summary.lastMessageBody).toBeUndefined();
    expect(summary.lastMessageSender).toBeUndefined();
  });

  it("includes body and sender when the server is configured to (S8)", async () => {
    const { alice } = await bobSubscribedAndOffline({ includeBody: true, includeSender: true });
    await alice.send(chat("bob@example.test", "Dinner at 8? <b> & 'you' — 🍝"));
    await waitFor(() => chain.appServer.deliveries.length === 1);
    expect(chain.appServer.deliveries[0]?.summary).toEqual({
      messageCount: 1,
      lastMessageSender: "alice@example.test/laptop",
      lastMessageBody: "Dinner at 8? <b> & 'you' — 🍝",
    });
  });

  it("never pushes for a body-less message: chat state, receipt, marker (S6)", async () => {
    const { alice } = await bobSubscribedAndOffline();
    const published = record(chain.server, "published");
    await alice.send(chat("bob@example.test", undefined, [xml("composing", { xmlns: "http://jabber.org/protocol/chatstates" })]));
    await alice.send(chat("bob@example.test", undefined, [xml("received", { xmlns: "urn:xmpp:receipts", id: "m1" })]));
    await alice.send(chat("bob@example.test", undefined, [xml("displayed", { xmlns: "urn:xmpp:chat-markers:0", id: "m1" })]));
    // A message with a body after them: once it is published, the three before it were handled.
    await alice.send(chat("bob@example.test", "real message"));
    await waitFor(() => chain.appServer.deliveries.length === 1);
    expect(published).toHaveLength(1);
    expect(chain.server.offlineMessages("bob").map((message) => message.getChildText("body"))).toEqual(["real message"]);
  });

  it("does not push to a user who never enabled push", async () => {
    chain = createChain();
    const alice = await chain.connect("alice");
    const published = record(chain.server, "published");
    const stored = nextEvent(chain.server, "stored");
    await alice.send(chat("carol@example.test", "hi carol"));
    await stored;
    expect(published).toHaveLength(0);
    expect(chain.appServer.deliveries).toHaveLength(0);
  });

  it("does not push while the user has an available session: the message is delivered", async () => {
    chain = createChain();
    const bob = await chain.device("bob");
    await bob.push.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "t" });
    await bob.xmpp.send(xml("presence"));
    const received = new Promise<ReturnType<typeof xml>>((resolve) => bob.xmpp.on("stanza", (stanza) => stanza.is("message") && resolve(stanza)));
    const alice = await chain.connect("alice");
    await alice.send(chat("bob@example.test", "you are online"));
    const stanza = await received;
    expect(stanza.getChildText("body")).toBe("you are online");
    expect(chain.appServer.deliveries).toHaveLength(0);
  });

  it("honours shouldPublish (S13)", async () => {
    const calls: string[][] = [];
    const { alice } = await bobSubscribedAndOffline({
      shouldPublish: (from, to, stanza) => {
        calls.push([from, to, stanza.getChildText("body") ?? ""]);
        return stanza.getChildText("body") !== "quiet";
      },
    });
    await alice.send(chat("bob@example.test", "quiet"));
    await alice.send(chat("bob@example.test", "loud"));
    await waitFor(() => chain.appServer.deliveries.length === 1);
    expect(calls).toEqual([
      ["alice@example.test/laptop", "bob@example.test", "quiet"],
      ["alice@example.test/laptop", "bob@example.test", "loud"],
    ]);
    expect(chain.appServer.deliveries[0]?.summary.messageCount).toBe(2);
  });
});

describe("disabling and broken registrations (C4, S4, S10, A6, A8)", () => {
  it("disable with a node stops deliveries to that node only", async () => {
    chain = createChain();
    const phone = await chain.device("bob", "phone");
    const tablet = await chain.device("bob", "tablet");
    const first = await phone.push.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "phone-token", deviceId: "phone" });
    const second = await tablet.push.subscribe({ appServer: APP_SERVER, provider: "apns", token: "tablet-token", deviceId: "tablet" });
    await phone.push.disable({ jid: first.jid, node: first.node });
    expect(chain.server.registrations("bob").map((registration) => registration.node)).toEqual([second.node]);

    await goOffline(chain, phone.xmpp);
    await goOffline(chain, tablet.xmpp);
    const alice = await chain.connect("alice");
    await alice.send(chat("bob@example.test", "hi"));
    await waitFor(() => chain.appServer.deliveries.length === 1);
    expect(chain.appServer.deliveries.map((delivery) => delivery.token)).toEqual(["tablet-token"]);
  });

  it("disable without a node removes every node of that push service", async () => {
    chain = createChain();
    const bob = await chain.device("bob");
    await bob.push.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "a", deviceId: "one" });
    await bob.push.subscribe({ appServer: APP_SERVER, provider: "apns", token: "b", deviceId: "two" });
    expect(chain.server.registrations("bob")).toHaveLength(2);
    await bob.push.disable({ jid: APP_SERVER });
    expect(chain.server.registrations("bob")).toEqual([]);

    await goOffline(chain, bob.xmpp);
    const alice = await chain.connect("alice");
    const stored = nextEvent(chain.server, "stored");
    const published = record(chain.server, "published");
    await alice.send(chat("bob@example.test", "anyone?"));
    await stored;
    expect(published).toHaveLength(0);
  });

  it("a wrong secret delivers nothing and the server drops the registration", async () => {
    chain = createChain();
    const bob = await chain.device("bob");
    const registration = await bob.push.register({ appServer: APP_SERVER, provider: "fcm", token: "tok" });
    await bob.push.enable({ jid: registration.jid, node: registration.node, publishOptions: { secret: "not-the-secret" } });
    await goOffline(chain, bob.xmpp);
    const alice = await chain.connect("alice");
    const rejected = nextEvent(chain.appServer, "rejected");
    const failed = nextEvent(chain.server, "publish-error");
    await alice.send(chat("bob@example.test", "hi"));

    const [rejection] = await rejected;
    expect(rejection.condition).toBe("not-authorized");
    const [, error, removed] = await failed;
    expect(error.condition).toBe("not-authorized");
    expect(removed).toBe(true);
    expect(chain.appServer.deliveries).toEqual([]);
    expect(chain.server.registrations("bob")).toEqual([]);
  });

  it("a token the provider reports invalid ends with the registration gone on both servers (A8)", async () => {
    const { alice, registration } = await bobSubscribedAndOffline(undefined, "dead-token");
    chain.appServer.failToken("dead-token");
    const failed = nextEvent(chain.server, "publish-error");
    await alice.send(chat("bob@example.test", "hello?"));
    const [, error, removed] = await failed;

    expect(error.condition).toBe("item-not-found");
    expect(removed).toBe(true);
    expect(chain.appServer.registrations("bob@example.test")).toEqual([]);
    expect(chain.server.registrations("bob")).toEqual([]);
    expect(chain.appServer.deliveries).toEqual([]);
    expect(registration.node).toMatch(/^[0-9a-f]{32}$/);
  });

  it("keeps the registration on a `wait` error and delivers once the provider recovers (S10)", async () => {
    let transient = true;
    chain = createChain({
      appServer: {
        providers: {
          fcm: {
            send: async () => (transient ? { ok: false, reason: "transient" } : { ok: true }),
          },
        },
      },
    });
    const bob = await chain.device("bob");
    await bob.push.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "t" });
    await goOffline(chain, bob.xmpp);
    const alice = await chain.connect("alice");
    const failed = nextEvent(chain.server, "publish-error");
    await alice.send(chat("bob@example.test", "one"));
    const [, error, removed] = await failed;
    expect(error.type).toBe("wait");
    expect(removed).toBe(false);
    expect(chain.server.registrations("bob")).toHaveLength(1);

    transient = false;
    const succeeded = nextEvent(chain.server, "publish-result");
    await alice.send(chat("bob@example.test", "two"));
    await succeeded;
  });

  it("removes a registration after maxPublishErrors consecutive errors, as Prosody does with 16", async () => {
    const { alice, registration } = await bobSubscribedAndOffline({ maxPublishErrors: 3 });
    chain.appServer.failToken("fcm-token-bob");
    // The app server forgets the node at the first failure: every later publish gets item-not-found.
    const removals: boolean[] = [];
    for (const body of ["1", "2", "3"]) {
      const failed = nextEvent(chain.server, "publish-error");
      await alice.send(chat("bob@example.test", body));
      const [, , removed] = await failed;
      removals.push(removed);
    }
    expect(removals).toEqual([false, false, true]);
    expect(chain.server.registrations("bob")).toEqual([]);

    const published = record(chain.server, "published");
    const stored = nextEvent(chain.server, "stored");
    await alice.send(chat("bob@example.test", "4"));
    await stored;
    expect(published).toHaveLength(0);
    expect(registration.node).toBeTruthy();
  });
});

describe("two users", () => {
  it("never mix registrations or deliveries", async () => {
    chain = createChain();
    const bob = await chain.device("bob");
    const carol = await chain.device("carol");
    const bobs = await bob.push.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "bob-token" });
    const carols = await carol.push.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "carol-token" });
    expect(bobs.node).not.toBe(carols.node);
    expect(await bob.push.listRegistrations(APP_SERVER)).toEqual([expect.objectContaining({ node: bobs.node })]);
    expect(await carol.push.listRegistrations(APP_SERVER)).toEqual([expect.objectContaining({ node: carols.node })]);

    await goOffline(chain, bob.xmpp);
    await goOffline(chain, carol.xmpp);
    const alice = await chain.connect("alice");
    await alice.send(chat("carol@example.test", "for carol"));
    await alice.send(chat("bob@example.test", "for bob"));
    await alice.send(chat("carol@example.test", "for carol again"));
    await waitFor(() => chain.appServer.deliveries.length === 3);
    expect(chain.appServer.deliveries.map((delivery) => [delivery.owner, delivery.token, delivery.summary.messageCount])).toEqual([
      ["carol@example.test", "carol-token", 1],
      ["bob@example.test", "bob-token", 1],
      ["carol@example.test", "carol-token", 2],
    ]);
  });
});
