/**
 * P2S17: an account keeps at most `push2.maxRegistrations` Push 2.0 registrations (one per client
 * id or resource, default 10); an enable past it removes the least recently enabled one, raising
 * `push2-disabled` with reason `limit`, and is answered with a result — as the XEP-0357
 * registrations (S19). Through real @xmpp/client logins, one resource per client.
 */

import { xml } from "@xmpp/client";
import { describe, expect, it } from "vitest";
import type { Element } from "../../../src/protocol/index.js";
import { createXmppServer, type SimulatedClient, type XmppServer, type XmppServerOptions } from "../../../src/sim/index.js";
import { record } from "../../helpers/chain.js";
import { push2Enable } from "../../helpers/push2-device.js";
import { push2Fixture } from "./fixture.js";

const fixture = push2Fixture();
let server: XmppServer;

function start(push2: XmppServerOptions["push2"] = true): XmppServer {
  server = fixture.serve(createXmppServer({ domain: "example.test", users: { alice: "pw", bob: "pw" }, push2 }));
  return server;
}

const online = fixture.online;

function enable(xmpp: SimulatedClient, resource: string): Promise<Element> {
  return xmpp.iqCaller.request(xml("iq", { type: "set" }, push2Enable(fixture.device(), { client: `https://push.example.net/send/${resource}` })));
}

/** Logs each resource in and enables from it, in order; the clients stay online. */
async function enableFrom(username: string, resources: readonly string[]): Promise<Map<string, SimulatedClient>> {
  const sessions = new Map<string, SimulatedClient>();
  for (const resource of resources) {
    const xmpp = await online(username, resource);
    expect((await enable(xmpp, resource)).attrs.type).toBe("result");
    sessions.set(resource, xmpp);
  }
  return sessions;
}

const idsOf = (account: string): string[] => server.push2Registrations(account).map((registration) => registration.id);

describe("Push 2.0 registrations per account (P2S17)", () => {
  it("past maxRegistrations the least recently enabled goes with reason limit, the enable succeeds", async () => {
    start({ maxRegistrations: 2 });
    const disabled = record(server!, "push2-disabled");
    const sessions = await enableFrom("alice", ["r1", "r2"]);
    // Enabling r1 again makes it the newest: r2 is now the least recently enabled.
    await enable(sessions.get("r1")!, "r1");
    await enableFrom("alice", ["r3", "r4"]);
    expect(idsOf("alice")).toEqual(["r3", "r4"]);
    expect(disabled.map(([registration, reason]) => [registration.id, reason])).toEqual([
      ["r2", "limit"],
      ["r1", "limit"],
    ]);
  });

  it("up to the limit nothing goes, a client's re-enable replaces its own, and other accounts do not count", async () => {
    start({ maxRegistrations: 2 });
    const disabled = record(server!, "push2-disabled");
    await enableFrom("bob", ["b1", "b2"]);
    const sessions = await enableFrom("alice", ["r1", "r2"]);
    await enable(sessions.get("r2")!, "r2");
    expect(idsOf("alice")).toEqual(["r1", "r2"]);
    expect(idsOf("bob")).toEqual(["b1", "b2"]);
    expect(disabled).toEqual([]);
    // The account is full now: the next client takes the least recently enabled one's place.
    await enableFrom("alice", ["r3"]);
    expect(idsOf("alice")).toEqual(["r2", "r3"]);
    expect(idsOf("bob")).toEqual(["b1", "b2"]);
    expect(disabled.map(([registration, reason]) => [registration.id, reason])).toEqual([["r1", "limit"]]);
  });

  it("default to 10", async () => {
    start();
    const resources = Array.from({ length: 11 }, (_, index) => `r${index + 1}`);
    await enableFrom("alice", resources);
    expect(idsOf("alice")).toEqual(resources.slice(1));
  });

  it("a limit that is not a positive integer is a RangeError", () => {
    expect(() => createXmppServer({ domain: "example.test", push2: { maxRegistrations: 0 } })).toThrow(RangeError);
    expect(() => createXmppServer({ domain: "example.test", push2: { maxRegistrations: 2.5 } })).toThrow(RangeError);
  });
});
