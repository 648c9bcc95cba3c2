import { type Client, xml } from "@xmpp/client";
import { afterEach, describe, expect, it } from "vitest";
import type { Element } from "../../../src/protocol/index.js";
import { APP_SERVER, type Chain, createChain, goOffline, nextEvent, record, waitFor } from "../../helpers/chain.js";
import { dropConnection } from "../../helpers/managed-clients.js";

let chain: Chain;
afterEach(() => chain?.close());

function presences(xmpp: Client): Element[] {
  const seen: Element[] = [];
  xmpp.on("stanza", (stanza: Element) => {
    if (stanza.is("presence")) seen.push(stanza);
  });
  return seen;
}

describe('001: "include_subscription_count: include the number of queued subscription requests (default: true)"', () => {
  it("R4: offline subscribe → push with pending-subscription-count 1, and the request is delivered at the next login", async () => {
    chain = createChain({ preset: "royneary" });
    const bob = await chain.device("bob");
    await bob.push.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "bob-token" });
    await goOffline(chain, bob.xmpp);

    const alice = await chain.connect("alice", "laptop");
    const delivered = nextEvent(chain.appServer, "delivered");
    await alice.send(xml("presence", { to: "bob@example.test", type: "subscribe" }));
    const [delivery] = await delivered;
    expect(delivery).toMatchObject({ token: "bob-token", summary: { pendingSubscriptionCount: 1 } });
    expect(delivery.summary.messageCount).toBeUndefined();

    // RFC 6121 §3.1.3: kept for bob, handed over at his next initial presence, from alice's bare JID.
    const phone = await chain.connect("bob", "phone");
    const seen = presences(phone);
    await phone.send(xml("presence"));
    await waitFor(() => seen.some((presence) => presence.attrs.type === "subscribe"), 3000, "the subscription request");
    expect(seen.find((presence) => presence.attrs.type === "subscribe")?.attrs.from).toBe("alice@example.test");
  });

  it("R4: the count goes with the next message push, and a request to an online account is delivered, not pushed", async () => {
    chain = createChain({ preset: "royneary" });
    const bob = await chain.device("bob");
    await bob.push.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "bob-token" });
    await goOffline(chain, bob.xmpp);
    const alice = await chain.connect("alice", "laptop");
    const carol = await chain.connect("carol", "desk");
    await alice.send(xml("presence", { to: "bob@example.test", type: "subscribe" }));
    await waitFor(() => chain.appServer.deliveries.length === 1, 3000, "the first push");
    await carol.send(xml("presence", { to: "bob@example.test", type: "subscribe" }));
    await waitFor(() => chain.appServer.deliveries.length === 2, 3000, "the second push");
    expect(chain.appServer.deliveries[1]?.summary).toEqual({ pendingSubscriptionCount: 2 });
    await alice.send(xml("message", { to: "bob@example.test", type: "chat" }, xml("body", {}, "hi")));
    await waitFor(() => chain.appServer.deliveries.length === 3, 3000, "the message push");
    expect(chain.appServer.deliveries[2]?.summary).toEqual({ messageCount: 1, pendingSubscriptionCount: 2 });

    const phone = await chain.connect("bob", "phone");
    const seen = presences(phone);
    await phone.send(xml("presence"));
    await waitFor(() => seen.length === 2, 3000, "the two stored requests");
    expect(seen.map((presence) => presence.attrs.from)).toEqual(["alice@example.test", "carol@example.test"]);
    const published = record(chain.server, "published");
    await alice.send(xml("presence", { to: "bob@example.test", type: "subscribe" }));
    await waitFor(() => seen.length === 3, 3000, "the live request");
    expect(published).toEqual([]);
  });

  it("R4: with includeSubscriptionCount off (the reference default) a request is stored but not pushed", async () => {
    chain = createChain();
    const bob = await chain.device("bob");
    await bob.push.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "bob-token" });
    await goOffline(chain, bob.xmpp);
    const published = record(chain.server, "published");
    const alice = await chain.connect("alice", "laptop");
    await alice.send(xml("presence", { to: "bob@example.test", type: "subscribe" }));
    // A round trip through the server: the presence was routed before the answer comes.
    await alice.iqCaller.request(xml("iq", { type: "get", to: "example.test" }, xml("ping", { xmlns: "urn:xmpp:ping" })));
    expect(published).toEqual([]);
    const phone = await chain.connect("bob", "phone");
    const seen = presences(phone);
    await phone.send(xml("presence"));
    await waitFor(() => seen.some((presence) => presence.attrs.type === "subscribe"), 3000, "the stored request");
  });

  it("R10: a request queued for a hibernated session pushes to that session's registration, and the resumed session receives it", async () => {
    chain = createChain({ preset: "royneary" });
    const bob = await chain.device("bob");
    await bob.push.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "bob-token" });
    await bob.xmpp.send(xml("presence"));
    await dropConnection(chain.server, bob.xmpp);

    const alice = await chain.connect("alice", "laptop");
    const delivered = nextEvent(chain.appServer, "delivered");
    await alice.send(xml("presence", { to: "bob@example.test", type: "subscribe" }));
    const [delivery] = await delivered;
    expect(delivery).toMatchObject({ token: "bob-token", summary: { pendingSubscriptionCount: 1 } });
    // Queued for the session, not kept for a next login.
    expect(chain.server.offlineMessages("bob")).toEqual([]);

    const seen = presences(bob.xmpp);
    const resumed = nextEvent(chain.server, "resumed");
    await bob.xmpp.reconnect.reconnect();
    await resumed;
    await waitFor(() => seen.some((presence) => presence.attrs.type === "subscribe"), 3000, "the queued request");
  });
});
