/**
 * Push 2.0 notifications from the reference server (`push2: true`) through real @xmpp/client
 * sessions: the match profiles, grace, filters, the encrypted envelope and its JWT, and the
 * push service's error replies (P2S5–P2S12; the envelope and its RFC 8291 encryption: P2S10).
 */

import { xml } from "@xmpp/client";
import { describe, expect, it } from "vitest";
import { type Element, NS_PUSH2, PUSH2_MATCH } from "../../../src/protocol/index.js";
import { createXmppServer, type SimulatedClient, type XmppServer, type XmppServerOptions } from "../../../src/sim/index.js";
import { nextEvent, record, waitFor } from "../../helpers/chain.js";
import { decryptNotification, type EnableShape, push2Device, push2Enable, verifiedClaims } from "../../helpers/push2-device.js";
import { push2Service } from "../../helpers/push2-service.js";
import { push2Fixture } from "./fixture.js";

const fixture = push2Fixture();
let server: XmppServer;

function start(options: Partial<XmppServerOptions> = {}, answer?: Parameters<typeof push2Service>[1]) {
  server = fixture.serve(createXmppServer({ domain: "example.test", users: { alice: "pw", bob: "pw", carol: "pw" }, push2: { retryDelay: 1 }, ...options }));
  const service = push2Service("push2.example.test", answer);
  server.attach(service);
  return service;
}

function online(username: string, resource = "desk"): Promise<SimulatedClient> {
  return fixture.online(username, resource);
}

/** Alice's phone enables and goes away: what reaches her next is pushed. */
async function phoneEnables(shape: EnableShape = {}): Promise<void> {
  const phone = await online("alice", "phone");
  await phone.iqCaller.request(xml("iq", { type: "set" }, push2Enable(fixture.device(), shape)));
  await phone.stop();
}

function chat(from: SimulatedClient, body: string | undefined, ...children: Element[]): Promise<void> {
  const content = body === undefined ? children : [xml("body", {}, body), ...children];
  return from.send(xml("message", { to: "alice@example.test", type: "chat" }, ...content));
}

/** Sends, and waits until the server stored it offline for alice (it has been matched by then). */
async function chatStored(from: SimulatedClient, body: string, ...children: Element[]): Promise<void> {
  const stored = nextEvent(server, "stored");
  await chat(from, body, ...children);
  await stored;
}

async function nextNotification(): Promise<Element> {
  const [, message] = await nextEvent(server, "push2-notified");
  return message;
}

describe("the notification (P2S9, P2S10, P2S11)", () => {
  it("a message to the service JID with client, priority, the RFC 8291 payload of the envelope holding the real message, and a JWT signed with the client's key", async () => {
    const service = start();
    await phoneEnables({ client: "https://push.example.net/send/abc", aud: "https://push.example.net" });
    const bob = await online("bob");
    const notified = nextNotification();
    await chat(bob, "Are you there?");
    const message = await notified;

    expect(message.attrs).toMatchObject({ to: "push2.example.test", from: "example.test" });
    const notification = message.getChild("notification", NS_PUSH2)!;
    expect(notification.getChildText("client")).toBe("https://push.example.net/send/abc");
    expect(notification.getChildText("priority")).toBe("normal");
    const { envelope, stanza, bytes } = decryptNotification(fixture.device(), notification);
    expect(envelope.attrs.xmlns).toBe("urn:xmpp:sce:1");
    expect(envelope.getChild("rpad")).toBeDefined();
    expect(stanza.attrs).toMatchObject({ from: "bob@example.test/desk", to: "alice@example.test", xmlns: "jabber:client" });
    expect(stanza.getChildText("body")).toBe("Are you there?");
    expect(bytes).toBeLessThanOrEqual(4096);

    const jwt = notification.getChild("jwt")!;
    expect(Buffer.from(String(jwt.attrs.key), "base64")).toEqual(Buffer.from(fixture.device().vapidPublic));
    const claims = await verifiedClaims(jwt.text(), fixture.device().vapidPublic);
    expect(claims).toMatchObject({ aud: "https://push.example.net", sub: "xmpp:example.test" });
    expect(claims?.exp).toBeGreaterThan(Date.now() / 1000);
    expect(claims?.exp).toBeLessThanOrEqual(Date.now() / 1000 + 24 * 3600);
    // The same token does not verify with another key.
    expect(await verifiedClaims(jwt.text(), (await push2Device()).vapidPublic)).toBeUndefined();
    expect(service.received.length).toBeGreaterThan(0);
  });

  it("an oversized message: the body is cut to 50 characters, the archive's stanza-id kept, one record of at most 4096 bytes (P2S8)", async () => {
    start({ mam: true });
    await phoneEnables();
    const bob = await online("bob");
    const notified = nextNotification();
    await chat(bob, `> quoted line\n${"word ".repeat(2000)}`, xml("x", { xmlns: "urn:example:bulk" }, "z".repeat(3000)));
    const { stanza, bytes, plaintext } = decryptNotification(fixture.device(), (await notified).getChild("notification", NS_PUSH2)!);
    expect(bytes).toBeLessThanOrEqual(4096);
    expect(plaintext).toBeLessThanOrEqual(3993);
    expect(stanza.getChildText("body")).toBe(`${"word ".repeat(10)}…`);
    expect(stanza.getChild("x", "urn:example:bulk")).toBeUndefined();
    expect(stanza.getChild("stanza-id", "urn:xmpp:sid:0")?.attrs.by).toBe("alice@example.test");
  });
});

describe("match profiles (P2S5)", () => {
  it("important: a chat state alone does not push, the next message with a body does", async () => {
    start();
    await phoneEnables({ profile: PUSH2_MATCH.important });
    const bob = await online("bob");
    const notified = nextNotification();
    await chat(bob, undefined, xml("composing", { xmlns: "http://jabber.org/protocol/chatstates" }));
    await chat(bob, "second");
    const { stanza } = decryptNotification(fixture.device(), (await notified).getChild("notification", NS_PUSH2)!);
    expect(stanza.getChildText("body")).toBe("second");
  });

  it("all: a chat state alone pushes, with priority low", async () => {
    start();
    await phoneEnables({ profile: PUSH2_MATCH.all });
    const bob = await online("bob");
    const notified = nextNotification();
    await chat(bob, undefined, xml("composing", { xmlns: "http://jabber.org/protocol/chatstates" }));
    const notification = (await notified).getChild("notification", NS_PUSH2)!;
    expect(notification.getChildText("priority")).toBe("low");
    expect(decryptNotification(fixture.device(), notification).stanza.getChild("composing")).toBeDefined();
  });

  it("archived: a receipt the archive stores pushes while another session is online", async () => {
    start({ mam: true });
    await phoneEnables({ profile: PUSH2_MATCH.archived });
    await online("alice", "desk");
    const bob = await online("bob");
    const notified = nextNotification();
    await chat(bob, undefined, xml("received", { xmlns: "urn:xmpp:receipts", id: "m1" }));
    const { stanza } = decryptNotification(fixture.device(), (await notified).getChild("notification", NS_PUSH2)!);
    expect(stanza.getChild("received", "urn:xmpp:receipts")).toBeDefined();
    expect(stanza.getChild("stanza-id", "urn:xmpp:sid:0")).toBeDefined();
  });

  it("archived-with-body: the receipt does not push, the message with a body does", async () => {
    start({ mam: true });
    await phoneEnables({ profile: PUSH2_MATCH.archivedWithBody });
    await online("alice", "desk");
    const bob = await online("bob");
    const notified = nextNotification();
    await chat(bob, undefined, xml("received", { xmlns: "urn:xmpp:receipts", id: "m1" }));
    await chat(bob, "with a body");
    expect(decryptNotification(fixture.device(), (await notified).getChild("notification", NS_PUSH2)!).stanza.getChildText("body")).toBe("with a body");
  });

  it("archived without an archive: nothing is ever archived, so an offline message does not push (mod_push2's 'stana-id' typo aside)", async () => {
    start();
    await phoneEnables({ profile: PUSH2_MATCH.archived });
    const other = await online("alice", "tablet");
    await other.iqCaller.request(xml("iq", { type: "set" }, push2Enable(fixture.device(), { profile: PUSH2_MATCH.all, client: "tablet-endpoint" })));
    await other.stop();
    const bob = await online("bob");
    const notified = nextNotification();
    await chat(bob, "hello");
    const message = await notified;
    expect(message.getChild("notification", NS_PUSH2)?.getChildText("client")).toBe("tablet-endpoint");
    expect(server.push2Registrations("alice").map((registration) => registration.id).sort()).toEqual(["phone", "tablet"]);
  });
});

describe("grace and filters (P2S6, P2S7)", () => {
  it("grace: no push while another session was active within the grace period; after it, pushes again", async () => {
    let now = 1_000_000;
    start({ mam: true, push2: { retryDelay: 1, now: () => now } });
    await phoneEnables({ grace: 120 });
    const desk = await online("alice", "desk");
    const stored = nextEvent(server, "stored");
    await desk.send(xml("message", { to: "bob@example.test", type: "chat" }, xml("body", {}, "I am at my desk")));
    await stored;
    const bob = await online("bob");
    const notified = nextNotification();
    await chatStored(bob, "while active");
    now += 121_000;
    await chat(bob, "after the grace");
    expect(decryptNotification(fixture.device(), (await notified).getChild("notification", NS_PUSH2)!).stanza.getChildText("body")).toBe("after the grace");
  });

  it("a filtered chat pushes only a mention or a reply; other chats push as usual", async () => {
    start();
    await phoneEnables({ filters: [{ jid: "bob@example.test", mention: true, reply: true }] });
    const bob = await online("bob");
    const carol = await online("carol");
    const bodies: string[] = [];
    server.on("push2-notified", (_, message) => void bodies.push(decryptNotification(fixture.device(), message.getChild("notification", NS_PUSH2)!).stanza.getChildText("body") ?? ""));
    const third = new Promise<void>((resolve) => server.on("push2-notified", () => bodies.length >= 3 && resolve()));
    await chatStored(bob, "nothing for you");
    await chatStored(bob, "hey alice, look");
    await chatStored(bob, "sure", xml("reply", { xmlns: "urn:xmpp:reply:0", to: "alice@example.test/phone", id: "x" }));
    await chatStored(carol, "from carol");
    await third;
    // One registration's notifications go out in the order of their messages: the first was never matched.
    expect(bodies).toEqual(["hey alice, look", "sure", "from carol"]);
  });
});

describe("the push service's error replies (P2S12)", () => {
  it("a cancel error disables the registration: it is gone", async () => {
    start({}, () => xml("error", { type: "cancel" }, xml("item-not-found", { xmlns: "urn:ietf:params:xml:ns:xmpp-stanzas" })));
    await phoneEnables();
    const bob = await online("bob");
    const failed = nextEvent(server, "push2-error");
    const disabled = nextEvent(server, "push2-disabled");
    await chat(bob, "one");
    const [, error, outcome] = await failed;
    expect([error.condition, error.type, outcome]).toEqual(["item-not-found", "cancel", "removed"]);
    expect((await disabled)[1]).toBe("error");
    expect(server.push2Registrations("alice")).toEqual([]);
  });

  it("a wait error: the notification is sent again, the registration stays", async () => {
    const service = start({}, (_, index) => (index === 0 ? xml("error", { type: "wait" }, xml("resource-constraint", { xmlns: "urn:ietf:params:xml:ns:xmpp-stanzas" })) : undefined));
    await phoneEnables();
    const bob = await online("bob");
    const retry = nextEvent(server, "push2-error");
    const first = nextNotification();
    await chat(bob, "one");
    await first;
    const second = nextNotification();
    expect((await retry)[2]).toBe("retry");
    const again = await second;
    expect(service.received).toHaveLength(2);
    expect(again.getChild("notification", NS_PUSH2)?.toString()).toBe(service.received[0]?.getChild("notification", NS_PUSH2)?.toString());
    expect(server.push2Registrations("alice")).toHaveLength(1);
  });

  it("a wait error every time: sent maxRetries more times, then dropped; the registration stays (P2S12)", async () => {
    const service = start({ push2: { retryDelay: 1, maxRetries: 2 } }, () => xml("error", { type: "wait" }, xml("resource-constraint", { xmlns: "urn:ietf:params:xml:ns:xmpp-stanzas" })));
    await phoneEnables();
    const bob = await online("bob");
    const outcomes = record(server, "push2-error");
    await chat(bob, "one");
    await waitFor(() => outcomes.length === 3, 3000, "three failed attempts");
    expect(outcomes.map(([, , outcome]) => outcome)).toEqual(["retry", "retry", "dropped"]);
    expect(service.received).toHaveLength(3);
    expect(server.push2Registrations("alice")).toHaveLength(1);
  });

  it("an unknown service domain bounces remote-server-not-found (cancel): the registration goes", async () => {
    start();
    await phoneEnables({ service: "nowhere.example.test" });
    const bob = await online("bob");
    const disabled = nextEvent(server, "push2-disabled");
    await chat(bob, "one");
    await disabled;
    expect(server.push2Registrations("alice")).toEqual([]);
  });
});
