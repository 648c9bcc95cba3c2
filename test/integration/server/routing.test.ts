/**
 * How the reference server routes stanzas between accounts: unknown users and domains, offline
 * full JIDs, bare-JID fan-out, and the `from` it stamps on every message.
 */

import { xml } from "@xmpp/client";
import { describe, expect, it } from "vitest";
import { NS } from "../../../src/protocol/index.js";
import { type Chain, chat, nextEvent, record, waitFor } from "../../helpers/chain.js";
import { messages, sync, useChainSessions } from "../../helpers/client-sessions.js";
import { errorOf, iqError } from "../../helpers/stanza-error.js";

let chain: Chain;
const { startChain, login } = useChainSessions();

describe("routing", () => {
  it("a message to an unknown local user comes back as an error service-unavailable", async () => {
    chain = startChain();
    const alice = await login("alice", "laptop");
    await alice.xmpp.send(xml("message", { to: "nobody@example.test", type: "chat", id: "m1" }, xml("body", {}, "hello?")));
    await waitFor(() => messages(alice).length === 1, 3000, "the bounce");

    const [bounce] = messages(alice);
    expect(bounce?.attrs).toMatchObject({ type: "error", id: "m1", from: "nobody@example.test", to: "alice@example.test/laptop" });
    expect(errorOf(bounce)).toMatchObject({ type: "cancel", condition: "service-unavailable" });
    expect(chain.server.offlineMessages("nobody")).toEqual([]);
  });

  it("an IQ to an unknown domain → remote-server-not-found", async () => {
    chain = startChain();
    const alice = await login("alice", "laptop");
    const iq = xml("iq", { type: "get", to: "elsewhere.example" }, xml("query", { xmlns: NS.discoInfo }));
    expect(await iqError(alice.xmpp, iq)).toEqual({ name: "StanzaError", condition: "remote-server-not-found", type: "cancel" });
  });

  it("an IQ to an offline full JID → service-unavailable, also when another resource of the account is online", async () => {
    chain = startChain();
    const alice = await login("alice", "laptop");
    const ping = (to: string) => xml("iq", { type: "get", to }, xml("ping", { xmlns: NS.ping }));
    expect(await iqError(alice.xmpp, ping("bob@example.test/phone"))).toEqual({ name: "StanzaError", condition: "service-unavailable", type: "cancel" });

    const tablet = await login("bob", "tablet");
    await tablet.xmpp.send(xml("presence"));
    expect(await iqError(alice.xmpp, ping("bob@example.test/phone"))).toEqual({ name: "StanzaError", condition: "service-unavailable", type: "cancel" });
    // The online resource answers (@xmpp/client replies to pings itself).
    const pong = await alice.xmpp.iqCaller.request(ping("bob@example.test/tablet"));
    expect(pong.attrs).toMatchObject({ type: "result", from: "bob@example.test/tablet" });
  });

  it("a message to a full JID whose session is gone is stored offline for the bare JID", async () => {
    chain = startChain();
    const phone = await login("bob", "phone");
    await phone.xmpp.stop();
    await waitFor(() => chain.server.resources("bob").length === 0, 3000, "session end");
    const alice = await login("alice", "laptop");
    const stored = nextEvent(chain.server, "stored");
    await alice.xmpp.send(xml("message", { to: "bob@example.test/phone", type: "chat" }, xml("body", {}, "for the phone")));
    const [account, message] = await stored;
    expect(account).toBe("bob@example.test");
    expect(message.getChildText("body")).toBe("for the phone");
    expect(chain.server.offlineMessages("bob").map((stored) => stored.getChildText("body"))).toEqual(["for the phone"]);
  });

  it("a message to a full JID whose session is gone goes to the account's available resource", async () => {
    chain = startChain();
    const tablet = await login("bob", "tablet");
    await tablet.xmpp.send(xml("presence"));
    const alice = await login("alice", "laptop");
    const stored = record(chain.server, "stored");
    await alice.xmpp.send(xml("message", { to: "bob@example.test/phone", type: "chat" }, xml("body", {}, "for the phone")));
    await waitFor(() => messages(tablet).length === 1, 3000, "the message on the tablet");

    expect(messages(tablet).map((message) => [message.attrs.from, message.getChildText("body")])).toEqual([["alice@example.test/laptop", "for the phone"]]);
    expect(stored).toEqual([]);
  });

  it("messages between online users carry the sender's full JID as `from`, even when the client spoofed it", async () => {
    chain = startChain();
    const bob = await login("bob", "phone");
    await bob.xmpp.send(xml("presence"));
    const alice = await login("alice", "laptop");
    await alice.xmpp.send(xml("message", { to: "bob@example.test", type: "chat", from: "carol@example.test/evil" }, xml("body", {}, "spoofed")));
    await alice.xmpp.send(xml("message", { to: "bob@example.test/phone", type: "chat", from: "example.test" }, xml("body", {}, "spoofed again")));
    await alice.xmpp.send(xml("message", { to: "bob@example.test", type: "chat" }, xml("body", {}, "honest")));
    await waitFor(() => messages(bob).length === 3, 3000, "three messages");

    expect(messages(bob).map((message) => [message.attrs.from, message.attrs.to, message.getChildText("body")])).toEqual([
      ["alice@example.test/laptop", "bob@example.test", "spoofed"],
      ["alice@example.test/laptop", "bob@example.test/phone", "spoofed again"],
      ["alice@example.test/laptop", "bob@example.test", "honest"],
    ]);
  });

  it("a message to the bare JID reaches every available resource, and none that sent no presence", async () => {
    chain = startChain();
    const phone = await login("bob", "phone");
    const tablet = await login("bob", "tablet");
    const silent = await login("bob", "desktop");
    await phone.xmpp.send(xml("presence"));
    await tablet.xmpp.send(xml("presence"));
    const alice = await login("alice", "laptop");
    await alice.xmpp.send(chat("bob@example.test", "to all"));
    await waitFor(() => messages(phone).length === 1 && messages(tablet).length === 1, 3000, "both deliveries");
    await sync(silent.xmpp);
    expect(messages(silent)).toEqual([]);
    expect(chain.server.offlineMessages("bob")).toEqual([]);
  });
});
