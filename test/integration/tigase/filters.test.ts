/**
 * Tigase's filters (TS4–TS6), away (TS9), priority (TS7), jingle (TS8) on the `tigase` preset,
 * enabled through the SDK's `subscribe({ tigase })`, and bad enable children (TS10), sent raw.
 * A push that must not happen is checked against one that must, sent after it: the publishes
 * come in order.
 */
import { type Client, xml } from "@xmpp/client";
import { afterEach, describe, expect, it } from "vitest";
import { type Element, NS } from "../../../src/protocol/index.js";
import { type Chain, chat, record, waitFor } from "../../helpers/chain.js";
import { bobSubscribes, enableRaw, mucService, notificationOf, ROOM, roomMessage, tigase } from "./setup.js";

let chain: Chain;
afterEach(() => chain?.close());

/** Sends presence and waits until the server has taken it (an IQ round trip after it on the same stream). */
async function presence(xmpp: Client, show?: string): Promise<void> {
  await xmpp.send(xml("presence", {}, ...(show ? [xml("show", {}, show)] : [])));
  await xmpp.iqCaller.request(xml("iq", { type: "get" }, xml("ping", { xmlns: "urn:xmpp:ping" })));
}

/** alice writes to bob, then carol; the bodies of the publishes once one came (carol's is never filtered here). */
async function aliceThenCarol(fromAlice: string, fromCarol: string): Promise<(string | undefined)[]> {
  const published = record(chain.server, "published");
  const alice = await chain.connect("alice", "laptop");
  const carol = await chain.connect("carol", "laptop");
  await alice.send(chat("bob@example.test", fromAlice));
  await carol.send(chat("bob@example.test", fromCarol));
  await waitFor(() => published.length === 1, 3000, "publish");
  return bodies(published);
}

/** The last-message-body of each publish so far. */
function bodies(published: [unknown, Element][]): (string | undefined)[] {
  return published.map(([, publish]) =>
    notificationOf(publish)
      .getChild("x", NS.dataForms)
      ?.getChildren("field")
      .find((field: Element) => field.attrs.var === "last-message-body")
      ?.getChildText("value") ?? undefined,
  );
}

describe("Tigase filters", () => {
  it("TS2: without extensions, Tigase's summary: from the domain, the sender's full JID, the real body", async () => {
    chain = tigase();
    await bobSubscribes(chain, {});
    const published = record(chain.server, "published");
    const alice = await chain.connect("alice", "laptop");
    await alice.send(chat("bob@example.test", "plain"));
    await waitFor(() => published.length === 1, 3000, "publish");
    const publish = published[0]![1];
    expect(publish.attrs.from).toBe("example.test");
    const fields = Object.fromEntries(
      notificationOf(publish)
        .getChild("x", NS.dataForms)!
        .getChildren("field")
        .map((field: Element) => [field.attrs.var, field.getChildText("value")]),
    );
    expect(fields).toMatchObject({ "message-count": "1", "last-message-sender": "alice@example.test/laptop", "last-message-body": "plain" });
  });

  it("TS4: ignore-unknown: no push from a sender not in the roster; a roster contact pushes", async () => {
    chain = tigase();
    const bob = await chain.connect("bob", "desk");
    await bob.iqCaller.request(xml("iq", { type: "set" }, xml("query", { xmlns: "jabber:iq:roster" }, xml("item", { jid: "carol@example.test" }))));
    await bob.stop();
    await bobSubscribes(chain, { ignoreUnknown: true });
    expect(await aliceThenCarol("from a stranger", "from a contact")).toEqual(["from a contact"]);
  });

  it("TS5: muted: no push from a muted JID, whatever its resource", async () => {
    chain = tigase();
    await bobSubscribes(chain, { muted: ["alice@example.test"] });
    expect(await aliceThenCarol("muted", "not muted")).toEqual(["not muted"]);
  });

  it("TS6: groupchat: a listed room with allow='mentioned' pushes only bodies naming the nick; unlisted rooms never", async () => {
    chain = tigase();
    const muc = mucService();
    chain.server.attach(muc);
    await bobSubscribes(chain, { groupchat: [{ room: ROOM, allow: "mentioned", nick: "bobby" }] });
    const published = record(chain.server, "published");
    muc.send(roomMessage("alice", "nobody named"));
    muc.send(xml("message", { from: "other@muc.example.test/alice", to: "bob@example.test", type: "groupchat" }, xml("body", {}, "bobby, in an unlisted room")));
    muc.send(roomMessage("alice", "hey bobby, look"));
    await waitFor(() => published.length === 1, 3000, "publish");
    expect(bodies(published)).toEqual(["hey bobby, look"]);
    // Tigase's groupchat summary names the occupant.
    expect(notificationOf(published[0]![1]).getChild("groupchat", "http://tigase.org/protocol/muc#offline")?.getChildText("nickname")).toBe("alice");
  });

  it("TS6: groupchat: allow='always' pushes every message of the room; without the filter every room pushes", async () => {
    chain = tigase();
    const muc = mucService();
    chain.server.attach(muc);
    await bobSubscribes(chain, { groupchat: [{ room: ROOM, allow: "always" }] });
    const published = record(chain.server, "published");
    muc.send(roomMessage("alice", "anything"));
    await waitFor(() => published.length === 1, 3000, "publish");
    expect(bodies(published)).toEqual(["anything"]);
  });

  it("TS4: ignore-unknown does not apply to groupchat", async () => {
    chain = tigase();
    const muc = mucService();
    chain.server.attach(muc);
    await bobSubscribes(chain, { ignoreUnknown: true });
    const published = record(chain.server, "published");
    muc.send(roomMessage("alice", "room message"));
    await waitFor(() => published.length === 1, 3000, "publish");
    expect(bodies(published)).toEqual(["room message"]);
  });
});

describe("Tigase away, priority, jingle", () => {
  it("TS9: away='true': a message pushes while every session of the account shows away; not once one is online", async () => {
    chain = tigase();
    const { bob } = await bobSubscribes(chain, { away: true }, { stayOnline: true });
    const published = record(chain.server, "published");
    const alice = await chain.connect("alice", "laptop");
    await presence(bob.xmpp, "away");
    const received: string[] = [];
    bob.xmpp.on("stanza", (stanza: Element) => {
      if (stanza.is("message")) received.push(stanza.getChildText("body") ?? "");
    });
    await alice.send(chat("bob@example.test", "while away"));
    await waitFor(() => published.length === 1 && received.length === 1, 3000, "push and delivery");
    await presence(bob.xmpp);
    await alice.send(chat("bob@example.test", "while online"));
    await waitFor(() => received.length === 2, 3000, "delivery");
    await presence(bob.xmpp, "xa");
    await alice.send(chat("bob@example.test", "away again"));
    await waitFor(() => published.length === 2, 3000, "second push");
    expect(bodies(published)).toEqual(["while away", "away again"]);
  });

  it("TS9: without away='true' an away session gets no push", async () => {
    chain = tigase();
    const { bob } = await bobSubscribes(chain, {}, { stayOnline: true });
    const published = record(chain.server, "published");
    const alice = await chain.connect("alice", "laptop");
    await presence(bob.xmpp, "away");
    const received: string[] = [];
    bob.xmpp.on("stanza", (stanza: Element) => {
      if (stanza.is("message")) received.push(stanza.getChildText("body") ?? "");
    });
    await alice.send(chat("bob@example.test", "while away"));
    await waitFor(() => received.length === 1, 3000, "delivery");
    // A ping after it is the only publish.
    expect(chain.server.cloudNotifyPing("bob")).toBe(1);
    await waitFor(() => published.length === 1, 3000, "ping");
    expect(bodies(published)).toEqual([undefined]);
  });

  it("TS7: <priority/>: high for a message with a body", async () => {
    chain = tigase();
    await bobSubscribes(chain, { priority: true });
    const published = record(chain.server, "published");
    const alice = await chain.connect("alice", "laptop");
    await alice.send(chat("bob@example.test", "important"));
    await waitFor(() => published.length === 1, 3000, "publish");
    expect(notificationOf(published[0]![1]).getChildText("priority", "tigase:push:priority:0")).toBe("high");
    expect(chain.server.cloudNotifyPing("bob")).toBe(1);
    await waitFor(() => published.length === 2, 3000, "ping");
    expect(notificationOf(published[1]![1]).getChildText("priority", "tigase:push:priority:0")).toBe("low");
  });

  it("TS8: <jingle/>: a call proposal pushes, even while online, with the call's sid and media; a retract does not", async () => {
    chain = tigase();
    await bobSubscribes(chain, { jingle: true }, { stayOnline: true });
    const published = record(chain.server, "published");
    const alice = await chain.connect("alice", "laptop");
    const call = (name: string) =>
      xml("message", { to: "bob@example.test", type: "chat" }, xml(name, { xmlns: "urn:xmpp:jingle-message:0", id: "call-1" }, xml("description", { xmlns: "urn:xmpp:jingle:apps:rtp:1", media: "audio" })));
    await alice.send(call("retract"));
    await alice.send(call("propose"));
    await waitFor(() => published.length === 1, 3000, "publish");
    const jingle = notificationOf(published[0]![1]).getChild("jingle", "tigase:push:jingle:0");
    expect(jingle?.attrs).toMatchObject({ action: "propose", sid: "call-1" });
    expect(jingle?.getChildText("media")).toBe("audio");
  });

  it("TS8: without <jingle/> a call proposal does not push", async () => {
    chain = tigase();
    await bobSubscribes(chain, {});
    const published = record(chain.server, "published");
    const alice = await chain.connect("alice", "laptop");
    await alice.send(xml("message", { to: "bob@example.test" }, xml("propose", { xmlns: "urn:xmpp:jingle-message:0", id: "call-2" })));
    await alice.send(chat("bob@example.test", "after the call"));
    await waitFor(() => published.length === 1, 3000, "publish");
    expect(bodies(published)).toEqual(["after the call"]);
  });
});

describe("Tigase enable children that cannot work (TS10)", () => {
  const bad: [string, Element, Record<string, string>?][] = [
    ["an alg other than aes-128-gcm", xml("encrypt", { xmlns: "tigase:push:encrypt:0", alg: "aes-256-cbc" }, "AAAAAAAAAAAAAAAAAAAAAA==")],
    ["a key that is not 16 bytes", xml("encrypt", { xmlns: "tigase:push:encrypt:0", alg: "aes-128-gcm" }, "AAAA")],
    ["a max-size that is no number", xml("encrypt", { xmlns: "tigase:push:encrypt:0", alg: "aes-128-gcm", "max-size": "big" }, "AAAAAAAAAAAAAAAAAAAAAA==")],
    ["a muted item without a jid", xml("muted", { xmlns: "tigase:push:filter:muted:0" }, xml("item"))],
    ["a room with allow='sometimes'", xml("groupchat", { xmlns: "tigase:push:filter:groupchat:0" }, xml("room", { jid: ROOM, allow: "sometimes" }))],
    ["a mentioned room without a nick", xml("groupchat", { xmlns: "tigase:push:filter:groupchat:0" }, xml("room", { jid: ROOM, allow: "mentioned" }))],
    ["away='maybe'", xml("priority", { xmlns: "tigase:push:priority:0" }), { away: "maybe" }],
  ];
  for (const [what, child, attrs] of bad) {
    it(`TS10: ${what} → modify/bad-request, and no registration`, async () => {
      chain = tigase();
      const bob = await chain.device("bob");
      const registration = await bob.push.register({ appServer: "push.example.test", provider: "fcm", token: "t" });
      const error: unknown = await enableRaw(bob.xmpp, registration, [child], attrs).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toMatchObject({ name: "StanzaError", condition: "bad-request", type: "modify" });
      expect(chain.server.registrations("bob")).toEqual([]);
    });
  }
});
