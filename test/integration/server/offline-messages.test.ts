/**
 * Offline storage (S14): which messages are stored for an account without an available resource,
 * and how they come back — once, in order, with a delay stamp — or bounce, for groupchat.
 */

import { xml } from "@xmpp/client";
import { describe, expect, it } from "vitest";
import { NS } from "../../../src/protocol/index.js";
import { type Chain, chat, DOMAIN, nextEvent, record, waitFor } from "../../helpers/chain.js";
import { messages, sync, useChainSessions } from "../../helpers/client-sessions.js";

let chain: Chain;
const { startChain, login } = useChainSessions();

describe("offline messages (S14)", () => {
  it("S14: stored while offline, delivered on the next login after initial presence, in order, with a delay stamp from the domain", async () => {
    chain = startChain();
    const alice = await login("alice", "laptop");
    const stored = record(chain.server, "stored");
    const before = Date.now();
    await alice.xmpp.send(chat("bob@example.test", "one"));
    await alice.xmpp.send(xml("message", { to: "bob@example.test", type: "normal" }, xml("body", {}, "two")));
    await alice.xmpp.send(xml("message", { to: "bob@example.test" }, xml("body", {}, "three")));
    await waitFor(() => stored.length === 3, 3000, "three stored messages");
    const after = Date.now();
    expect(stored.map(([account, message]) => [account, message.getChildText("body")])).toEqual([
      ["bob@example.test", "one"],
      ["bob@example.test", "two"],
      ["bob@example.test", "three"],
    ]);

    const bob = await login("bob", "phone");
    // Bound, but no initial presence yet: nothing is delivered and everything stays stored.
    await sync(bob.xmpp);
    expect(messages(bob)).toEqual([]);
    expect(chain.server.offlineMessages("bob")).toHaveLength(3);

    await bob.xmpp.send(xml("presence"));
    await waitFor(() => messages(bob).length === 3, 3000, "three offline messages");
    await sync(bob.xmpp);
    const delivered = messages(bob);
    expect(delivered).toHaveLength(3);
    expect(delivered.map((message) => [message.attrs.from, message.attrs.to, message.attrs.type, message.getChildText("body")])).toEqual([
      ["alice@example.test/laptop", "bob@example.test", "chat", "one"],
      ["alice@example.test/laptop", "bob@example.test", "normal", "two"],
      ["alice@example.test/laptop", "bob@example.test", undefined, "three"],
    ]);
    for (const message of delivered) {
      const delays = message.getChildren("delay", NS.delay);
      expect(delays).toHaveLength(1);
      const { from, stamp } = delays[0]!.attrs as { from: string; stamp: string };
      expect(from).toBe(DOMAIN);
      expect(stamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
      expect(Date.parse(stamp)).toBeGreaterThanOrEqual(before);
      expect(Date.parse(stamp)).toBeLessThanOrEqual(after);
    }
    expect(chain.server.offlineMessages("bob")).toEqual([]);
  });

  it("S14: delivered once: a second presence or a second login gets nothing again", async () => {
    chain = startChain();
    const alice = await login("alice", "laptop");
    const stored = nextEvent(chain.server, "stored");
    await alice.xmpp.send(chat("bob@example.test", "only once"));
    await stored;

    const phone = await login("bob", "phone");
    await phone.xmpp.send(xml("presence"));
    await waitFor(() => messages(phone).length === 1, 3000, "the offline message");
    await phone.xmpp.send(xml("presence", {}, xml("show", {}, "away")));
    await sync(phone.xmpp);

    const tablet = await login("bob", "tablet");
    await tablet.xmpp.send(xml("presence"));
    await sync(tablet.xmpp);
    expect(messages(phone).map((message) => message.getChildText("body"))).toEqual(["only once"]);
    expect(messages(tablet)).toEqual([]);
  });

  it("S14: only chat/normal messages with a body are stored: headline, groupchat, body-less and blank-body ones are not", async () => {
    chain = startChain();
    const alice = await login("alice", "laptop");
    const stored = record(chain.server, "stored");
    await alice.xmpp.send(xml("message", { to: "bob@example.test", type: "headline" }, xml("body", {}, "headline")));
    await alice.xmpp.send(xml("message", { to: "bob@example.test", type: "groupchat" }, xml("body", {}, "groupchat")));
    await alice.xmpp.send(chat("bob@example.test", undefined, [xml("active", { xmlns: "http://jabber.org/protocol/chatstates" })]));
    await alice.xmpp.send(chat("bob@example.test", "   "));
    // Stanzas from one session are routed in order: once this one is stored, the others were handled.
    await alice.xmpp.send(chat("bob@example.test", "stored"));
    await waitFor(() => stored.length === 1, 3000, "the stored message");
    expect(chain.server.offlineMessages("bob").map((message) => message.getChildText("body"))).toEqual(["stored"]);

    const bob = await login("bob", "phone");
    await bob.xmpp.send(xml("presence"));
    await waitFor(() => messages(bob).length === 1, 3000, "the offline message");
    await sync(bob.xmpp);
    expect(messages(bob).map((message) => message.getChildText("body"))).toEqual(["stored"]);
  });
});

describe("groupchat to an account with no available resource", () => {
  it("bounces with service-unavailable instead of being stored (RFC 6121 §8.5.2.2.1)", async () => {
    chain = startChain();
    const alice = await login("alice", "laptop");
    await alice.xmpp.send(xml("message", { to: "bob@example.test", type: "groupchat", id: "g1" }, xml("body", {}, "room message")));
    await waitFor(() => messages(alice).length === 1, 3000, "the bounce");
    const [bounce] = messages(alice);
    expect(bounce?.attrs).toMatchObject({ type: "error", id: "g1", from: "bob@example.test" });
    expect(bounce?.getChild("error")?.getChild("service-unavailable", NS.stanzas)).toBeDefined();
    expect(chain.server.offlineMessages("bob")).toEqual([]);
  });
});
