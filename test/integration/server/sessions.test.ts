/**
 * How client sessions start and end: SASL refusals, a second login on the same resource,
 * malformed XML from a client, and the server shutting down.
 */

import { xml } from "@xmpp/client";
import { describe, expect, it } from "vitest";
import { type Chain, chat, nextEvent, record, waitFor } from "../../helpers/chain.js";
import { messages, sync, useChainSessions } from "../../helpers/client-sessions.js";

let chain: Chain;
const { startChain, open, login, forget } = useChainSessions();

describe("authentication", () => {
  it.each([
    ["a wrong password", "bob", "not-the-password"],
    ["an unknown user", "mallory", "pw"],
  ])("%s: start() rejects with SASL not-authorized and the server keeps serving others", async (_title, username, password) => {
    chain = startChain();
    const online = record(chain.server, "online");
    const intruder = open(username, "phone", password);
    await expect(intruder.xmpp.start()).rejects.toMatchObject({ name: "SASLError", condition: "not-authorized" });
    expect(intruder.statuses).not.toContain("online");
    expect(chain.server.resources(username)).toEqual([]);

    const alice = await login("alice", "laptop");
    const bob = await login("bob", "phone");
    await bob.xmpp.send(xml("presence"));
    await alice.xmpp.send(chat("bob@example.test", "still here"));
    await waitFor(() => messages(bob).length === 1, 3000, "alice's message");
    expect(messages(bob)[0]?.getChildText("body")).toBe("still here");
    expect(online).toEqual([["alice@example.test/laptop"], ["bob@example.test/phone"]]);
  });
});

describe("resource conflict", () => {
  it("a second login with the same resource replaces the first: stream error conflict, one session left", async () => {
    chain = startChain();
    const offline = record(chain.server, "offline");
    const first = await login("bob", "phone");
    // The first client would otherwise reconnect a second later and replace the second in turn.
    first.xmpp.reconnect.stop();
    const second = await login("bob", "phone");

    await waitFor(() => first.statuses.includes("disconnect"), 3000, "the first client disconnected");
    expect(first.errors.map((error) => [error.name, error.condition])).toEqual([["StreamError", "conflict"]]);
    expect(second.errors).toEqual([]);
    expect(chain.server.resources("bob")).toEqual(["bob@example.test/phone"]);
    expect(offline).toEqual([["bob@example.test/phone"]]);

    // Stanzas for bob/phone now reach the second client only.
    const alice = await login("alice", "laptop");
    await alice.xmpp.send(xml("message", { to: "bob@example.test/phone", type: "chat" }, xml("body", {}, "which phone?")));
    await waitFor(() => messages(second).length === 1, 3000, "the message on the second client");
    expect(messages(first)).toEqual([]);
    expect(second.xmpp.status).toBe("online");
  });
});

describe("robustness", () => {
  it.each([
    ["a mismatched end tag", "<message to='alice@example.test'><unclosed></message>"],
    // The streaming parser reports text only when the next tag starts.
    ["text outside any element", "not xml at all<presence/>"],
  ])("a client writing malformed XML (%s) gets stream error not-well-formed; the server keeps serving the others", async (_title, garbage) => {
    chain = startChain();
    const alice = await login("alice", "laptop");
    await alice.xmpp.send(xml("presence"));
    const bob = await login("bob", "phone");
    bob.xmpp.reconnect.stop();
    const offline = nextEvent(chain.server, "offline");

    await new Promise<void>((resolve, reject) => bob.xmpp.socket!.write(garbage, (error?: Error) => (error ? reject(error) : resolve())));
    const [jid] = await offline;
    expect(jid).toBe("bob@example.test/phone");
    await waitFor(() => bob.statuses.includes("disconnect"), 3000, "bob disconnected");
    expect(bob.errors.map((error) => [error.name, error.condition])).toEqual([["StreamError", "not-well-formed"]]);
    expect(chain.server.resources("bob")).toEqual([]);
    expect(messages(alice)).toEqual([]);

    // Alice is still served, and bob can come back.
    await sync(alice.xmpp);
    const again = await login("bob", "phone");
    await again.xmpp.send(chat("alice@example.test", "back"));
    await waitFor(() => messages(alice).length === 1, 3000, "bob's message");
    expect(messages(alice)[0]?.attrs.from).toBe("bob@example.test/phone");
  });

  it("server.close() ends every session with system-shutdown and accepts no new client", async () => {
    chain = startChain();
    const alice = await login("alice", "laptop");
    const bob = await login("bob", "phone");
    for (const { xmpp } of [alice, bob]) xmpp.reconnect.stop();
    const offline = record(chain.server, "offline");

    await chain.server.close();
    await waitFor(() => alice.statuses.includes("disconnect") && bob.statuses.includes("disconnect"), 3000, "both clients disconnected");
    for (const session of [alice, bob]) {
      expect(session.errors.map((error) => [error.name, error.condition])).toEqual([["StreamError", "system-shutdown"]]);
    }
    expect(offline.map(([jid]) => jid).sort()).toEqual(["alice@example.test/laptop", "bob@example.test/phone"]);
    expect(chain.server.resources("alice")).toEqual([]);
    expect(chain.server.resources("bob")).toEqual([]);

    const late = open("carol", "phone");
    await expect(late.xmpp.start()).rejects.toThrow(/no in-memory XMPP server/);
    // Never connected: nothing to stop (stop() would wait for a socket close that never comes).
    forget(late.xmpp);
    expect(chain.server.resources("carol")).toEqual([]);
  });
});
