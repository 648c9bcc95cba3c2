/**
 * S20: an account's roster holds at most `roster.maxItems` items (default 1 000); a roster set
 * adding one more new JID is refused `cancel/policy-violation` with Tigase's text, through real
 * @xmpp/client logins. Changing or removing an item held is always taken.
 */

import { xml } from "@xmpp/client";
import { afterEach, describe, expect, it } from "vitest";
import { type Element, NS } from "../../../src/protocol/index.js";
import { createXmppServer, type SimulatedClient, type XmppServer, type XmppServerOptions } from "../../../src/sim/index.js";

const NS_ROSTER = "jabber:iq:roster";
let server: XmppServer | undefined;
const clients: SimulatedClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) if (client.status === "online") await client.stop();
  await server?.close();
  server = undefined;
});

async function online(username: string, options: Partial<XmppServerOptions> = {}): Promise<SimulatedClient> {
  server ??= createXmppServer({ domain: "example.test", users: { alice: "pw", bob: "pw" }, ...options });
  const xmpp = server.client({ username, password: "pw", resource: "phone" });
  xmpp.on("error", () => {});
  xmpp.reconnect.stop();
  clients.push(xmpp);
  await xmpp.start();
  return xmpp;
}

function rosterSet(xmpp: SimulatedClient, attrs: Record<string, string>): Promise<Element> {
  return xmpp.iqCaller.request(xml("iq", { type: "set" }, xml("query", { xmlns: NS_ROSTER }, xml("item", attrs))));
}

async function rosterJids(xmpp: SimulatedClient): Promise<string[]> {
  const result = await xmpp.iqCaller.request(xml("iq", { type: "get" }, xml("query", { xmlns: NS_ROSTER })));
  return (result.getChild("query")?.getChildren("item") ?? []).map((item) => String(item.attrs.jid));
}

async function refusal(request: Promise<Element>): Promise<{ type: unknown; condition: string | undefined; text: string | undefined }> {
  try {
    await request;
  } catch (failure) {
    // @xmpp/client's StanzaError carries the <error/> element itself.
    const error = (failure as { element?: Element }).element;
    const condition = error?.children.find((child): child is Element => typeof child !== "string" && child.attrs.xmlns === NS.stanzas && child.name !== "text");
    return { type: error?.attrs.type, condition: condition?.name, text: error?.getChildText("text", NS.stanzas) ?? undefined };
  }
  throw new Error("the roster set was accepted");
}

describe("roster items per account (S20)", () => {
  it("one more new item past maxItems is cancel/policy-violation with Tigase's text, and the roster is unchanged", async () => {
    const alice = await online("alice", { roster: { maxItems: 2 } });
    await rosterSet(alice, { jid: "one@example.test" });
    await rosterSet(alice, { jid: "two@example.test" });
    expect(await refusal(rosterSet(alice, { jid: "three@example.test" }))).toEqual({
      type: "cancel",
      condition: "policy-violation",
      text: "a roster holds at most 2 items here",
    });
    expect(await rosterJids(alice)).toEqual(["one@example.test", "two@example.test"]);
  });

  it("at the limit an item held may change, and a removal makes room for a new one", async () => {
    const alice = await online("alice", { roster: { maxItems: 2 } });
    await rosterSet(alice, { jid: "one@example.test" });
    await rosterSet(alice, { jid: "two@example.test" });
    expect((await rosterSet(alice, { jid: "two@example.test", name: "Two" })).attrs.type).toBe("result");
    expect((await refusal(rosterSet(alice, { jid: "three@example.test" }))).condition).toBe("policy-violation");
    await rosterSet(alice, { jid: "one@example.test", subscription: "remove" });
    expect((await rosterSet(alice, { jid: "three@example.test" })).attrs.type).toBe("result");
    expect(await rosterJids(alice)).toEqual(["two@example.test", "three@example.test"]);
  });

  it("each account's items count on their own", async () => {
    const alice = await online("alice", { roster: { maxItems: 1 } });
    const bob = await online("bob");
    await rosterSet(alice, { jid: "one@example.test" });
    expect((await refusal(rosterSet(alice, { jid: "two@example.test" }))).condition).toBe("policy-violation");
    expect((await rosterSet(bob, { jid: "one@example.test" })).attrs.type).toBe("result");
    expect(await rosterJids(bob)).toEqual(["one@example.test"]);
  });

  it("default to 1,000 items", async () => {
    const alice = await online("alice");
    for (let index = 1; index <= 1000; index++) await rosterSet(alice, { jid: `contact${index}@example.test` });
    expect(await refusal(rosterSet(alice, { jid: "contact1001@example.test" }))).toMatchObject({ condition: "policy-violation", text: "a roster holds at most 1000 items here" });
    expect(await rosterJids(alice)).toHaveLength(1000);
  });

  it("a limit that is not a positive integer is a RangeError", () => {
    expect(() => createXmppServer({ domain: "example.test", roster: { maxItems: 0 } })).toThrow(RangeError);
    expect(() => createXmppServer({ domain: "example.test", roster: { maxItems: 1.5 } })).toThrow(RangeError);
  });
});
