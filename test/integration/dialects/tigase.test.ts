import { afterEach, describe, expect, it } from "vitest";
import type { Element } from "../../../src/protocol/index.js";
import { parseCommandRequest, parseEncrypted, PushError, TIGASE_NS } from "../../../src/protocol/index.js";
import { decryptNotification } from "../../../src/client/decrypt-notification.js";
import { TIGASE_MODULES } from "../../../src/sim/xmpp-server/modules/tigase/index.js";
import { APP_SERVER, type Chain, chat, createChain, goOffline, record, waitFor } from "../../helpers/chain.js";
import { ENABLE_WITH_EXTENSIONS, REGISTER_DEVICE_REQUEST } from "../../fixtures/tigase/stanzas.js";
import { parseXml } from "../../helpers/parse-xml.js";
import { listeningComponent } from "../../helpers/listening-component.js";

let chain: Chain;
afterEach(async () => {
  await chain?.close();
});

/** The reference server's `tigase` preset (every extension) and a Tigase-style push component. */
function tigaseChain(): Chain {
  return createChain({ preset: "tigase", appServer: { dialects: ["tigase"] } });
}

/** A server that loads only these of Tigase's extension modules, so the account advertises only theirs. */
function chainWith(modules: (keyof typeof TIGASE_MODULES)[]): Chain {
  return createChain({ appServer: { dialects: ["tigase"] }, server: { modules: modules.map((name) => TIGASE_MODULES[name]()) } });
}

/** Every element the client sends, to see what the servers receive. */
function sent(xmpp: { on(event: "send", listener: (element: Element) => void): unknown }): Element[] {
  const elements: Element[] = [];
  xmpp.on("send", (element) => void elements.push(element));
  return elements;
}

const enableOf = (elements: Element[]) => elements.map((iq) => iq.getChild("enable", "urn:xmpp:push:0")).filter((enable) => enable !== undefined);

describe("the tigase dialect through @xmpp/client and PushClient (T1–T5, T9, T12, T15)", () => {
  it("T1, T2: discover says tigase; findPushComponent finds the app server among the domain's items", async () => {
    chain = tigaseChain();
    const bob = await chain.device("bob");
    const info = await bob.push.discover(APP_SERVER);
    expect(info.dialect).toBe("tigase");
    expect(info.commands.map((command) => command.node)).toEqual(["register-device", "unregister-device"]);
    expect(await bob.push.findPushComponent()).toBe(APP_SERVER);
    expect(await bob.push.findPushComponent(["urn:example:absent"])).toBeUndefined();
  });

  it("T2, T4, T5, T9: subscribe registers the device, keeps a fresh key, and enables with the advertised extensions only", async () => {
    chain = chainWith(["tigase-encrypt", "tigase-ignore-unknown", "tigase-away"]);
    const bob = await chain.device("bob");
    const out = sent(bob.xmpp);
    const registration = await bob.push.subscribe({
      appServer: APP_SERVER,
      provider: "tigase:messenger:apns:1",
      token: "apns-token-1",
      tigase: { encrypt: true, voipToken: "pushkit-token-1", away: true, jingle: true, ignoreUnknown: true },
    });

    const command = out.map((iq) => iq.getChild("command", "http://jabber.org/protocol/commands")).find((child) => child?.attrs.node === "register-device")!;
    const expected = parseCommandRequest(parseXml(REGISTER_DEVICE_REQUEST).getChild("command")!);
    const fields = (form: typeof expected.form) => Object.fromEntries((form?.fields ?? []).filter((field) => field.var !== "FORM_TYPE").map((field) => [field.var, field.values]));
    expect(fields(parseCommandRequest(command).form)).toEqual(fields(expected.form));

    const [stored] = chain.appServer.registrations("bob@example.test");
    expect(stored).toMatchObject({ dialect: "tigase", provider: "apns", token: "apns-token-1", fields: { "device-second-token": ["pushkit-token-1"] } });
    expect(registration).toMatchObject({ dialect: "tigase", jid: APP_SERVER, node: stored!.node });
    expect(registration.secret).toBeUndefined();
    expect(atob(registration.tigase!.encryptionKey!)).toHaveLength(16);

    const [enable] = enableOf(out);
    expect(enable!.attrs.away).toBe("true");
    expect(enable!.getChildText("encrypt", TIGASE_NS.encrypt)).toBe(registration.tigase!.encryptionKey);
    expect(enable!.getChild("encrypt", TIGASE_NS.encrypt)!.attrs.alg).toBe(parseXml(ENABLE_WITH_EXTENSIONS).getChild("encrypt", TIGASE_NS.encrypt)!.attrs.alg);
    expect(enable!.getChild("ignore-unknown", TIGASE_NS.ignoreUnknown)).toBeDefined();
    expect(enable!.getChild("jingle", TIGASE_NS.jingle)).toBeUndefined();
    expect(registration.tigase!.applied).toEqual([TIGASE_NS.encrypt, TIGASE_NS.ignoreUnknown, TIGASE_NS.away]);
    expect((await bob.push.registrations())[0]!.tigase!.encryptionKey).toBe(registration.tigase!.encryptionKey);
  });

  it("T4: an account without the features gets a plain enable", async () => {
    chain = chainWith([]);
    const bob = await chain.device("bob");
    const out = sent(bob.xmpp);
    const registration = await bob.push.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "t", tigase: { encrypt: true, priority: true } });
    expect(enableOf(out)[0]!.getChildElements()).toEqual([]);
    expect(registration.tigase!.applied).toEqual([]);
  });

  it("T12, T15: the server's <encrypted/> reaches the provider untouched, and the registration's key opens it", async () => {
    chain = tigaseChain();
    const bob = await chain.device("bob");
    const registration = await bob.push.subscribe({ appServer: APP_SERVER, provider: "tigase:messenger:fcm:1", token: "fcm-1", tigase: { encrypt: true } });
    await goOffline(chain, bob.xmpp);
    const published = record(chain.server, "published");
    const alice = await chain.connect("alice", "laptop");
    await alice.send(chat("bob@example.test", "Hi Bob"));
    await waitFor(() => chain.appServer.deliveries.length === 1, 3000, "delivery");
    const [delivery] = chain.appServer.deliveries;
    const sentEncrypted = published[0]![1].getChild("pubsub")!.getChild("publish")!.getChild("item")!.getChild("notification")!.getChild("encrypted", TIGASE_NS.encrypt)!;
    expect(delivery).toMatchObject({ provider: "fcm", token: "fcm-1", node: registration.node, summary: {}, encrypted: parseEncrypted(sentEncrypted) });
    expect(await decryptNotification(registration, delivery!.encrypted!)).toEqual({ unread: 1, sender: "alice@example.test", type: "chat", message: "Hi Bob" });
    const tablet = await chain.device("bob", "tablet");
    const other = await tablet.push.subscribe({ appServer: APP_SERVER, provider: "tigase:messenger:fcm:1", token: "fcm-2", deviceId: "second", tigase: { encrypt: true } });
    await expect(decryptNotification(other, delivery!.encrypted!)).rejects.toMatchObject({ condition: "bad-response" });
  });

  it("T3, T15: unsubscribe runs unregister-device; an unknown provider or a missing token are refused as PushErrors", async () => {
    chain = tigaseChain();
    const bob = await chain.device("bob");
    await bob.push.subscribe({ appServer: APP_SERVER, provider: "tigase:messenger:fcm:1", token: "fcm-1" });
    expect(chain.appServer.registrations("bob@example.test")).toHaveLength(1);
    const report = await bob.push.unsubscribe();
    expect(report.errors).toEqual([]);
    expect(chain.appServer.registrations("bob@example.test")).toEqual([]);

    const unknown = await bob.push.register({ appServer: APP_SERVER, provider: "tigase:messenger:wns-x:1", token: "t" }).catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(PushError);
    expect((unknown as PushError).condition).toBe("item-not-found");
    const missing = await bob.push.register({ appServer: APP_SERVER, provider: "fcm", token: "" }).catch((error: unknown) => error);
    expect((missing as PushError).condition).toBe("bad-request");
  });

  it("T3, T16: a new token is a new device at the component, on the account's same node; the enable stays and pushes reach the new token", async () => {
    chain = tigaseChain();
    const bob = await chain.device("bob");
    const device = { appServer: APP_SERVER, provider: "tigase:messenger:fcm:1", deviceId: "phone" };
    const first = await bob.push.subscribe({ ...device, token: "fcm-old" });
    const second = await bob.push.subscribe({ ...device, token: "fcm-new" });
    expect(second.node).toBe(first.node);
    expect(chain.server.registrations("bob").map((registration) => registration.node)).toEqual([second.node]);
    expect((await bob.push.registrations()).map((registration) => registration.token)).toEqual(["fcm-new"]);

    await goOffline(chain, bob.xmpp);
    const alice = await chain.connect("alice", "laptop");
    await alice.send(chat("bob@example.test", "after the rotation"));
    await waitFor(() => chain.appServer.deliveries.some((delivery) => delivery.token === "fcm-new"), 3000, "the push");
    expect(chain.appServer.deliveries.find((delivery) => delivery.token === "fcm-new")).toMatchObject({ node: second.node });
  });

  it("T3, T16: after a token rotation the component holds only the new token", async () => {
    chain = tigaseChain();
    const bob = await chain.device("bob");
    const device = { appServer: APP_SERVER, provider: "tigase:messenger:fcm:1", deviceId: "phone" };
    await bob.push.subscribe({ ...device, token: "fcm-old" });
    await bob.push.subscribe({ ...device, token: "fcm-new" });
    expect(chain.appServer.registrations("bob@example.test").map((registration) => registration.token)).toEqual(["fcm-new"]);
  });

  it("T16, T17: one device's unsubscribe sends no disable of the account's node, so the other's pushes go on; after the last, the server drops the node at the first publish the component refuses", async () => {
    chain = tigaseChain();
    const phone = await chain.device("bob", "phone");
    const tablet = await chain.device("bob", "tablet");
    const device = { appServer: APP_SERVER, provider: "tigase:messenger:fcm:1" };
    const first = await phone.push.subscribe({ ...device, token: "phone-token" });
    expect((await tablet.push.subscribe({ ...device, token: "tablet-token" })).node).toBe(first.node);
    const out = sent(phone.xmpp);
    expect((await phone.push.unsubscribe()).errors).toEqual([]);
    expect(out.filter((iq) => iq.getChild("disable", "urn:xmpp:push:0"))).toEqual([]);
    expect(chain.server.registrations("bob").map((registration) => registration.node)).toEqual([first.node]);
    expect(chain.appServer.registrations("bob@example.test").map((registration) => registration.token)).toEqual(["tablet-token"]);

    await goOffline(chain, phone.xmpp);
    await goOffline(chain, tablet.xmpp);
    const alice = await chain.connect("alice", "laptop");
    await alice.send(chat("bob@example.test", "for the tablet"));
    await waitFor(() => chain.appServer.deliveries.length === 1, 3000, "the tablet's push");
    expect(chain.appServer.deliveries.map((delivery) => delivery.token)).toEqual(["tablet-token"]);

    await tablet.xmpp.start();
    expect((await tablet.push.unsubscribe()).errors).toEqual([]);
    await goOffline(chain, tablet.xmpp);
    expect(chain.server.registrations("bob")).toHaveLength(1);
    const refused = record(chain.server, "publish-error");
    await alice.send(chat("bob@example.test", "for no one"));
    await waitFor(() => refused.length === 1, 3000, "the component refusing the publish");
    expect(refused.map(([, error, removed]) => [error.condition, removed])).toEqual([["item-not-found", true]]);
    expect(chain.server.registrations("bob")).toEqual([]);
    expect(chain.appServer.deliveries).toHaveLength(1);
  });

  it("T1: findPushComponent answers once the push component is known, without waiting for an item after it that never answers", async () => {
    chain = tigaseChain();
    const silent = listeningComponent("silent.example.test");
    chain.server.attach(silent);
    // A minute to answer each request: had the search waited for the silent item, the test would time out.
    const bob = await chain.device("bob", "phone", { timeout: 60_000 });
    expect(await bob.push.findPushComponent()).toBe(APP_SERVER);
    expect(silent.received.some((stanza) => stanza.getChild("query", "http://jabber.org/protocol/disco#info"))).toBe(true);
  });
});
