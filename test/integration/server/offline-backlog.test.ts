/**
 * The offline store's limits (S16) and a large backlog at login (S17): a full store refuses and
 * the message bounces, as in Prosody, while its push has gone out; a backlog of many batches
 * arrives whole and in order, with a message sent meanwhile behind it.
 */

import { xml } from "@xmpp/client";
import { afterEach, describe, expect, it } from "vitest";
import { NS } from "../../../src/protocol/index.js";
import { bobSubscribesAndGoesOffline, type Chain, chat, createChain, record, waitFor } from "../../helpers/chain.js";
import { messages, useChainSessions } from "../../helpers/client-sessions.js";
import { cutSocket } from "../../helpers/client-socket.js";

describe("the offline store's limit per account (S16)", () => {
  let chain: Chain | undefined;
  afterEach(async () => {
    await chain?.close();
    chain = undefined;
  });

  it("S16: past offline.itemLimit a message is not stored and bounces with service-unavailable; each one still pushes", async () => {
    chain = createChain({ server: { offline: { itemLimit: 3 } } });
    const { alice } = await bobSubscribesAndGoesOffline(chain, { provider: "fcm", token: "fcm-token-bob" });
    const bounces: string[] = [];
    alice.on("stanza", (stanza) => {
      if (stanza.name === "message" && stanza.attrs.type === "error" && stanza.getChild("error")?.getChild("service-unavailable", NS.stanzas)) bounces.push(String(stanza.attrs.id));
    });
    const stored = record(chain.server, "stored");
    for (let index = 1; index <= 5; index++) await alice.send(xml("message", { to: "bob@example.test", type: "chat", id: `m${index}` }, xml("body", {}, `message ${index}`)));
    await waitFor(() => bounces.length === 2, 3000, "two bounces");

    expect(bounces).toEqual(["m4", "m5"]);
    expect(stored).toHaveLength(3);
    expect(chain.server.offlineMessages("bob").map((message) => message.getChildText("body"))).toEqual(["message 1", "message 2", "message 3"]);
    // As in Prosody, the push comes first (mod_cloud_notify at priority 1), the refusal after it.
    await waitFor(() => chain!.appServer.deliveries.length === 5, 3000, "five deliveries");
    expect(chain.appServer.deliveries.map((delivery) => delivery.summary.messageCount)).toEqual([1, 2, 3, 4, 5]);
  });

  it("S16: offline.itemLimit must be a positive integer", () => {
    expect(() => createChain({ server: { offline: { itemLimit: 0 } } })).toThrow(RangeError);
    expect(() => createChain({ server: { offline: { itemLimit: 2.5 } } })).toThrow(RangeError);
  });
});

describe("a large backlog at login (S17)", () => {
  const { startChain, login } = useChainSessions();
  const BACKLOG = 1000;

  it("S17: every stored message arrives once, in order, with a message sent meanwhile after them; the store is empty after", async () => {
    const chain = startChain();
    const alice = await login("alice", "laptop");
    const stored = record(chain.server, "stored");
    for (let index = 0; index < BACKLOG; index++) void alice.xmpp.send(chat("bob@example.test", `stored ${index}`));
    await waitFor(() => stored.length === BACKLOG, 10_000, `${BACKLOG} stored messages`);
    expect(chain.server.offlineMessages("bob")).toHaveLength(BACKLOG);

    const bob = await login("bob", "phone");
    let receivedWhenLiveSent: number | undefined;
    bob.xmpp.on("stanza", (stanza) => {
      // At the first stored message the rest is still on its way: a message now is routed to bob's live session.
      if (stanza.name === "message" && receivedWhenLiveSent === undefined) {
        receivedWhenLiveSent = messages(bob).length;
        void alice.xmpp.send(chat("bob@example.test", "live"));
      }
    });
    await bob.xmpp.send(xml("presence"));
    await waitFor(() => messages(bob).length === BACKLOG + 1, 10_000, "the backlog and the live message");

    expect(receivedWhenLiveSent).toBeLessThan(BACKLOG);
    const bodies = messages(bob).map((message) => message.getChildText("body"));
    expect(bodies).toEqual([...Array.from({ length: BACKLOG }, (_, index) => `stored ${index}`), "live"]);
    expect(messages(bob).slice(0, BACKLOG).every((message) => message.getChildren("delay", NS.delay).length === 1)).toBe(true);
    expect(messages(bob).at(-1)?.getChild("delay", NS.delay)).toBeUndefined();
    expect(chain.server.offlineMessages("bob")).toEqual([]);
  });

  it("S17: a session that ends before its backlog is out leaves the rest stored, in order, for the next login", async () => {
    const chain = startChain({ server: { streamManagement: { enabled: false } } });
    const alice = await login("alice", "laptop");
    const stored = record(chain.server, "stored");
    for (let index = 0; index < BACKLOG; index++) void alice.xmpp.send(chat("bob@example.test", `stored ${index}`));
    await waitFor(() => stored.length === BACKLOG, 10_000, `${BACKLOG} stored messages`);

    const bob = await login("bob", "phone");
    bob.xmpp.reconnect.stop();
    bob.xmpp.on("stanza", (stanza) => {
      if (stanza.name === "message" && bob.xmpp.socket) cutSocket(bob.xmpp);
    });
    await bob.xmpp.send(xml("presence"));
    await waitFor(() => chain.server.resources("bob").length === 0 && chain.server.offlineMessages("bob").length > 0, 10_000, "the rest stored again");

    const rest = chain.server.offlineMessages("bob").map((message) => message.getChildText("body"));
    const first = BACKLOG - rest.length;
    // The first batch went out before the cut; the rest is the backlog's tail, whole and in order.
    expect(first).toBeGreaterThan(0);
    expect(first).toBeGreaterThanOrEqual(messages(bob).length);
    expect(rest).toEqual(Array.from({ length: rest.length }, (_, index) => `stored ${first + index}`));
  });
});
