import { type Client, xml } from "@xmpp/client";
import { afterEach, describe, expect, it } from "vitest";
import { type Element, NS } from "../../src/protocol/index.js";
import { APP_SERVER, type Chain, chat, createChain, DOMAIN, nextEvent, record, waitFor } from "../helpers/chain.js";
import { manualComponent } from "../helpers/manual-component.js";
import { errorOf, iqError } from "../helpers/stanza-error.js";

/**
 * The reference XMPP server seen through real @xmpp/client instances. Raw IQs go through
 * `iqCaller.request` wherever the SDK would hide the server's behaviour.
 */

const PUBLISH_OPTIONS = "http://jabber.org/protocol/pubsub#publish-options";

let chain: Chain;
/** Clients opened with `login`/`open`, stopped after each test (chain.close() stops those of chain.connect). */
let opened: Client[] = [];

afterEach(async () => {
  for (const xmpp of opened) xmpp.reconnect.stop();
  await Promise.all(opened.map((xmpp) => (xmpp.status === "offline" ? undefined : xmpp.stop().catch(() => undefined))));
  opened = [];
  await chain?.close();
});

interface Login {
  xmpp: Client;
  /** Every stanza the client received, from before `start()`. */
  stanzas: Element[];
  /** Every `error` event of the client (stream errors, SASL failures). */
  errors: Array<Error & { condition?: string }>;
  /** Every status the client went through. */
  statuses: string[];
}

/** A client for `username` with recorders attached before it connects; not started. */
function open(username: string, resource: string, password = "pw"): Login {
  const xmpp = chain.server.client({ username, password, resource });
  const login: Login = { xmpp, stanzas: [], errors: [], statuses: [] };
  xmpp.on("stanza", (stanza) => login.stanzas.push(stanza));
  xmpp.on("error", (error) => login.errors.push(error as Login["errors"][number]));
  xmpp.on("status", (status) => login.statuses.push(status));
  opened.push(xmpp);
  return login;
}

async function login(username: string, resource: string): Promise<Login> {
  const session = open(username, resource);
  await session.xmpp.start();
  return session;
}

function messages(session: Login): Element[] {
  return session.stanzas.filter((stanza) => stanza.name === "message");
}

/** A round trip to the server: everything the server sent this client before the answer has arrived. */
async function sync(xmpp: Client): Promise<void> {
  await xmpp.iqCaller.request(xml("iq", { type: "get", to: DOMAIN }, xml("ping", { xmlns: NS.ping })));
}

function enable(jid: string | undefined, node: string | undefined, ...children: Element[]): Element {
  return xml("iq", { type: "set" }, xml("enable", { xmlns: NS.push, jid, node }, ...children));
}

function disable(jid: string, node?: string): Element {
  return xml("iq", { type: "set" }, xml("disable", { xmlns: NS.push, jid, node }));
}

function publishOptionsForm(secret: string, type = "submit", formType = PUBLISH_OPTIONS): Element {
  return xml(
    "x",
    { xmlns: NS.dataForms, type },
    xml("field", { var: "FORM_TYPE", type: "hidden" }, xml("value", {}, formType)),
    xml("field", { var: "secret" }, xml("value", {}, secret)),
  );
}

describe("service discovery (S1)", () => {
  it("S1: disco#info on the account's own bare JID lists urn:xmpp:push:0 and identity account/registered", async () => {
    chain = createChain();
    const bob = await chain.connect("bob");
    const result = await bob.iqCaller.request(xml("iq", { type: "get", to: "bob@example.test" }, xml("query", { xmlns: NS.discoInfo })));

    expect(result.attrs).toMatchObject({ type: "result", from: "bob@example.test", to: "bob@example.test/phone" });
    const query = result.getChild("query", NS.discoInfo)!;
    expect(query.getChildren("identity").map((identity) => identity.attrs)).toEqual([{ category: "account", type: "registered" }]);
    expect(query.getChildren("feature").map((feature) => feature.attrs.var)).toEqual([NS.discoInfo, NS.discoItems, NS.push]);
  });

  it("S1: the same disco#info answers an IQ without `to` (the account itself)", async () => {
    chain = createChain();
    const bob = await chain.connect("bob");
    const result = await bob.iqCaller.request(xml("iq", { type: "get" }, xml("query", { xmlns: NS.discoInfo })));
    const features = result.getChild("query", NS.discoInfo)?.getChildren("feature").map((feature) => feature.attrs.var);
    expect(features).toContain(NS.push);
  });

  it("disco#info to the domain lists identity server/im", async () => {
    chain = createChain();
    const bob = await chain.connect("bob");
    const result = await bob.iqCaller.request(xml("iq", { type: "get", to: DOMAIN }, xml("query", { xmlns: NS.discoInfo })));

    expect(result.attrs.from).toBe(DOMAIN);
    const query = result.getChild("query", NS.discoInfo)!;
    expect(query.getChildren("identity").map((identity) => [identity.attrs.category, identity.attrs.type])).toEqual([["server", "im"]]);
    expect(query.getChildren("feature").map((feature) => feature.attrs.var)).not.toContain(NS.push);
  });

  it("disco#items on the domain lists the attached app server's JID, and every other attached component", async () => {
    chain = createChain();
    const bob = await chain.connect("bob");
    const items = async () => {
      const result = await bob.iqCaller.request(xml("iq", { type: "get", to: DOMAIN }, xml("query", { xmlns: NS.discoItems })));
      return result.getChild("query", NS.discoItems)!.getChildren("item").map((item) => item.attrs);
    };
    expect(await items()).toEqual([{ jid: APP_SERVER }]);

    const detach = chain.server.attach(manualComponent("other.example.test"));
    expect(await items()).toEqual([{ jid: APP_SERVER }, { jid: "other.example.test" }]);
    detach();
    expect(await items()).toEqual([{ jid: APP_SERVER }]);
  });
});

describe("XEP-0357 enable and disable, raw (S2, S3, S4)", () => {
  it("a valid enable with a submit publish-options form → empty result, one registration", async () => {
    chain = createChain();
    const bob = await chain.connect("bob");
    const enabled = record(chain.server, "enabled");
    const result = await bob.iqCaller.request(enable(APP_SERVER, "n1", publishOptionsForm("s1")));

    expect(result.attrs.type).toBe("result");
    expect(result.getChildElements()).toEqual([]);
    expect(chain.server.registrations("bob")).toEqual([
      { jid: APP_SERVER, node: "n1", publishOptions: { secret: "s1" }, enabledAt: expect.any(Number) },
    ]);
    expect(enabled.map(([registration]) => [registration.account, registration.jid, registration.node])).toEqual([["bob@example.test", APP_SERVER, "n1"]]);
  });

  it.each([
    ["S2: enable without jid → bad-request", () => enable(undefined, "n1")],
    ["S2: enable without node → bad-request", () => enable(APP_SERVER, undefined)],
    ["S2: enable with an empty node → bad-request", () => enable(APP_SERVER, "")],
    ["S2: enable with jid equal to the own bare JID → bad-request", () => enable("bob@example.test", "n1")],
    ["S2: enable with jid equal to the own full JID → bad-request", () => enable("bob@example.test/phone", "n1")],
    ["S2: publish-options form of type 'form', not 'submit' → bad-request (ejabberd issue #3708)", () => enable(APP_SERVER, "n1", publishOptionsForm("s1", "form"))],
    ["S2: a submit form with another FORM_TYPE → bad-request", () => enable(APP_SERVER, "n1", publishOptionsForm("s1", "submit", "urn:example:other"))],
  ])("%s, nothing registered", async (_title, build) => {
    chain = createChain();
    const bob = await chain.connect("bob");
    const enabled = record(chain.server, "enabled");
    expect(await iqError(bob, build())).toEqual({ name: "StanzaError", condition: "bad-request", type: "modify" });
    expect(chain.server.registrations("bob")).toEqual([]);
    expect(enabled).toEqual([]);
  });

  it("S2: enable (and disable) with IQ type get → not-allowed", async () => {
    chain = createChain();
    const bob = await chain.connect("bob");
    const get = xml("iq", { type: "get" }, xml("enable", { xmlns: NS.push, jid: APP_SERVER, node: "n1" }));
    expect(await iqError(bob, get)).toEqual({ name: "StanzaError", condition: "not-allowed", type: "cancel" });
    expect(chain.server.registrations("bob")).toEqual([]);

    await bob.iqCaller.request(enable(APP_SERVER, "n1"));
    const getDisable = xml("iq", { type: "get" }, xml("disable", { xmlns: NS.push, jid: APP_SERVER }));
    expect(await iqError(bob, getDisable)).toEqual({ name: "StanzaError", condition: "not-allowed", type: "cancel" });
    expect(chain.server.registrations("bob").map((registration) => registration.node)).toEqual(["n1"]);
  });

  it("an enable addressed to another user's bare JID is refused and registers nothing for either user", async () => {
    chain = createChain();
    const alice = await chain.connect("alice");
    const iq = xml("iq", { type: "set", to: "bob@example.test" }, xml("enable", { xmlns: NS.push, jid: APP_SERVER, node: "n1" }));
    expect(await iqError(alice, iq)).toEqual({ name: "StanzaError", condition: "service-unavailable", type: "cancel" });
    expect(chain.server.registrations("bob")).toEqual([]);
    expect(chain.server.registrations("alice")).toEqual([]);
  });

  it("S3: the same (jid, node) enabled twice → one registration, the latest publish-options win", async () => {
    chain = createChain();
    const bob = await chain.connect("bob");
    await bob.iqCaller.request(enable(APP_SERVER, "n1", publishOptionsForm("first")));
    await bob.iqCaller.request(enable(APP_SERVER, "n1", publishOptionsForm("second")));
    expect(chain.server.registrations("bob")).toEqual([
      { jid: APP_SERVER, node: "n1", publishOptions: { secret: "second" }, enabledAt: expect.any(Number) },
    ]);

    // Enabling again without a form drops the old publish-options too.
    await bob.iqCaller.request(enable(APP_SERVER, "n1"));
    expect(chain.server.registrations("bob")).toEqual([{ jid: APP_SERVER, node: "n1", publishOptions: {}, enabledAt: expect.any(Number) }]);
  });

  it("S3: the same node at two push services, or two nodes at one, are separate registrations", async () => {
    chain = createChain();
    const bob = await chain.connect("bob");
    await bob.iqCaller.request(enable(APP_SERVER, "n1"));
    await bob.iqCaller.request(enable(APP_SERVER, "n2"));
    await bob.iqCaller.request(enable("other.example.test", "n1"));
    expect(chain.server.registrations("bob").map((registration) => [registration.jid, registration.node])).toEqual([
      [APP_SERVER, "n1"],
      [APP_SERVER, "n2"],
      ["other.example.test", "n1"],
    ]);
  });

  it("S4: disable with node removes that one; without node every node of that jid, and only of that jid", async () => {
    chain = createChain();
    const bob = await chain.connect("bob");
    for (const [jid, node] of [
      [APP_SERVER, "n1"],
      [APP_SERVER, "n2"],
      [APP_SERVER, "n3"],
      ["other.example.test", "n1"],
    ] as const) {
      await bob.iqCaller.request(enable(jid, node));
    }
    const disabled = record(chain.server, "disabled");
    const nodes = () => chain.server.registrations("bob").map((registration) => `${registration.jid} ${registration.node}`);

    const result = await bob.iqCaller.request(disable(APP_SERVER, "n2"));
    expect(result.attrs.type).toBe("result");
    expect(nodes()).toEqual([`${APP_SERVER} n1`, `${APP_SERVER} n3`, "other.example.test n1"]);

    await bob.iqCaller.request(disable(APP_SERVER));
    expect(nodes()).toEqual(["other.example.test n1"]);
    expect(disabled.map(([registration]) => registration.node)).toEqual(["n2", "n1", "n3"]);
  });

  it("S4: disabling what is not registered answers result and changes nothing (Prosody behaviour)", async () => {
    chain = createChain();
    const bob = await chain.connect("bob");
    await bob.iqCaller.request(enable(APP_SERVER, "n1"));
    const disabled = record(chain.server, "disabled");

    for (const iq of [disable(APP_SERVER, "unknown-node"), disable("nobody.example.test"), disable("nobody.example.test", "n1")]) {
      const result = await bob.iqCaller.request(iq);
      expect(result.attrs.type).toBe("result");
    }
    expect(chain.server.registrations("bob").map((registration) => registration.node)).toEqual(["n1"]);
    expect(disabled).toEqual([]);
  });

  it("S4: disable without jid → bad-request", async () => {
    chain = createChain();
    const bob = await chain.connect("bob");
    await bob.iqCaller.request(enable(APP_SERVER, "n1"));
    const iq = xml("iq", { type: "set" }, xml("disable", { xmlns: NS.push, node: "n1" }));
    expect(await iqError(bob, iq)).toEqual({ name: "StanzaError", condition: "bad-request", type: "modify" });
    expect(chain.server.registrations("bob")).toHaveLength(1);
  });
});

describe("offline messages (S14)", () => {
  it("S14: stored while offline, delivered on the next login after initial presence, in order, with a delay stamp from the domain", async () => {
    chain = createChain();
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
    chain = createChain();
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
    chain = createChain();
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
    chain = createChain();
    const alice = await login("alice", "laptop");
    await alice.xmpp.send(xml("message", { to: "bob@example.test", type: "groupchat", id: "g1" }, xml("body", {}, "room message")));
    await waitFor(() => messages(alice).length === 1, 3000, "the bounce");
    const [bounce] = messages(alice);
    expect(bounce?.attrs).toMatchObject({ type: "error", id: "g1", from: "bob@example.test" });
    expect(bounce?.getChild("error")?.getChild("service-unavailable", NS.stanzas)).toBeDefined();
    expect(chain.server.offlineMessages("bob")).toEqual([]);
  });
});

describe("authentication", () => {
  it.each([
    ["a wrong password", "bob", "not-the-password"],
    ["an unknown user", "mallory", "pw"],
  ])("%s: start() rejects with SASL not-authorized and the server keeps serving others", async (_title, username, password) => {
    chain = createChain();
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

describe("routing", () => {
  it("a message to an unknown local user comes back as an error service-unavailable", async () => {
    chain = createChain();
    const alice = await login("alice", "laptop");
    await alice.xmpp.send(xml("message", { to: "nobody@example.test", type: "chat", id: "m1" }, xml("body", {}, "hello?")));
    await waitFor(() => messages(alice).length === 1, 3000, "the bounce");

    const [bounce] = messages(alice);
    expect(bounce?.attrs).toMatchObject({ type: "error", id: "m1", from: "nobody@example.test", to: "alice@example.test/laptop" });
    expect(errorOf(bounce)).toMatchObject({ type: "cancel", condition: "service-unavailable" });
    expect(chain.server.offlineMessages("nobody")).toEqual([]);
  });

  it("an IQ to an unknown domain → remote-server-not-found", async () => {
    chain = createChain();
    const alice = await login("alice", "laptop");
    const iq = xml("iq", { type: "get", to: "elsewhere.example" }, xml("query", { xmlns: NS.discoInfo }));
    expect(await iqError(alice.xmpp, iq)).toEqual({ name: "StanzaError", condition: "remote-server-not-found", type: "cancel" });
  });

  it("an IQ to an offline full JID → service-unavailable, also when another resource of the account is online", async () => {
    chain = createChain();
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
    chain = createChain();
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
    chain = createChain();
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
    chain = createChain();
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
    chain = createChain();
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

describe("resource conflict", () => {
  it("a second login with the same resource replaces the first: stream error conflict, one session left", async () => {
    chain = createChain();
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
    chain = createChain();
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
    chain = createChain();
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
    opened = opened.filter((xmpp) => xmpp !== late.xmpp);
    expect(chain.server.resources("carol")).toEqual([]);
  });
});

describe("publish answers (mod_cloud_notify checks the sender)", () => {
  /** bob enabled push at a hand-driven push service and is offline; alice's message made the server publish. */
  async function publishPending() {
    chain = createChain();
    const service = manualComponent("push2.example.test");
    const impostor = manualComponent("impostor.example.test");
    chain.server.attach(service);
    chain.server.attach(impostor);
    const bob = await login("bob", "phone");
    await bob.xmpp.iqCaller.request(enable(service.jid, "n1"));
    await bob.xmpp.stop();
    await waitFor(() => chain.server.resources("bob").length === 0, 3000, "bob offline");

    const alice = await login("alice", "laptop");
    const published = nextEvent(chain.server, "published");
    await alice.xmpp.send(chat("bob@example.test", "hi"));
    const [, publish] = await published;
    await waitFor(() => service.received.length === 1, 3000, "the publish at the push service");
    expect(service.received[0]?.attrs).toMatchObject({ type: "set", id: publish.attrs.id, from: "bob@example.test", to: service.jid });
    const results = record(chain.server, "publish-result");
    const errors = record(chain.server, "publish-error");
    const answer = (from: string, to = "bob@example.test", type = "result") => xml("iq", { type, id: publish.attrs.id as string, from, to });
    return { service, impostor, results, errors, answer, alice };
  }

  it("a result from a different JID than the registration's push jid is not taken as the answer", async () => {
    const { service, impostor, results, errors, answer } = await publishPending();

    // Component stanzas are routed synchronously: had the server accepted it, the event would be out now.
    impostor.send(answer(impostor.jid));
    expect(results).toEqual([]);
    expect(errors).toEqual([]);

    // The real push service's answer is still awaited and accepted.
    service.send(answer(service.jid));
    expect(results.map(([registration]) => [registration.jid, registration.node])).toEqual([[service.jid, "n1"]]);
    expect(errors).toEqual([]);
  });

  it("an error from a different JID does not count against the registration", async () => {
    const { impostor, results, errors, answer } = await publishPending();
    const error = answer(impostor.jid, "bob@example.test", "error");
    error.append(xml("error", { type: "cancel" }, xml("item-not-found", { xmlns: NS.stanzas })));
    impostor.send(error);
    expect(errors).toEqual([]);
    expect(results).toEqual([]);
    expect(chain.server.registrations("bob").map((registration) => registration.node)).toEqual(["n1"]);
  });

  it("a result from the push service addressed to another account is not taken as the answer", async () => {
    const { service, results, answer } = await publishPending();
    service.send(answer(service.jid, "alice@example.test"));
    expect(results).toEqual([]);
    service.send(answer(service.jid));
    expect(results).toHaveLength(1);
  });
});
