/**
 * PushClient's Push 2.0 path through real @xmpp/client connections to the reference server.
 * These tests run against `recordingPush2Module` below, a test-only module that answers the
 * enable and disable the way mod_push2 does (missing `<service>`/`<client>` → modify/bad-request),
 * records exactly what came, and offers the enable inline in Bind2 (C22–C27);
 * sdk-and-server.test.ts runs the same path against the reference server's own push2 module.
 */

import { webcrypto } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { MemoryStore, PushClient, push2, type Registration, type WebPushSubscriptionJSON } from "../../../src/index.js";
import { bytesToBase64Url, type Element, PushError, xml } from "../../../src/protocol/index.js";
import { createXmppServer, type ServerModule, type SimulatedClient, type XmppServer } from "../../../src/sim/index.js";
import { waitFor } from "../../helpers/chain.js";
import { recordLogin } from "../../helpers/login-exchange.js";
import { asClient } from "../../helpers/real-client.js";

const NS_PUSH2 = "urn:xmpp:push2:0";
const NS_BIND2 = "urn:xmpp:bind:0";
const SERVICE = "relay.example.test";

interface Recorded {
  how: "iq" | "bind2";
  account: string;
  element: Element;
}

/** Test-only: answers Push 2.0 enable/disable like mod_push2 and records them; with `inline`, takes the enable in Bind2. */
function recordingPush2Module(recorded: Recorded[], options: { inline?: boolean } = {}): ServerModule {
  return {
    name: "push2-recording",
    load(host) {
      host.addFeature("account", NS_PUSH2);
      host.handleIq("self", "set", NS_PUSH2, "enable", ({ payload, context }) => {
        if (!payload.getChildText("service")) throw new PushError("bad-request", "Missing service");
        if (!payload.getChildText("client")) throw new PushError("bad-request", "Missing client");
        recorded.push({ how: "iq", account: context.account!, element: payload });
        return undefined;
      });
      host.handleIq("self", "set", NS_PUSH2, "disable", ({ payload, context }) => {
        recorded.push({ how: "iq", account: context.account!, element: payload });
        return undefined;
      });
      if (!options.inline) return;
      host.hook("advertise-bind-features", ({ features }) => {
        features.append(xml("feature", { var: NS_PUSH2 }));
      });
      host.hook("enable-bind-features", ({ session, request }) => {
        const enable = request.getChild("enable", NS_PUSH2);
        if (enable) recorded.push({ how: "bind2", account: session.account!, element: enable });
      });
    },
  };
}

let server: XmppServer;
const clients: SimulatedClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) if (client.status === "online") await client.stop();
  await server?.close();
});

function start(recorded: Recorded[], options: { inline?: boolean; push2?: boolean } = {}): void {
  server = createXmppServer({
    domain: "example.test",
    users: { alice: "pw" },
    sasl2: options.inline ?? false,
    modules: options.push2 === false ? [] : [recordingPush2Module(recorded, options)],
  });
}

function connection(): SimulatedClient {
  const xmpp = server.client({ username: "alice", password: "pw", resource: "browser", userAgent: { id: "a11ce000-0000-4000-8000-000000000001" } });
  xmpp.on("error", () => {});
  xmpp.reconnect.stop();
  clients.push(xmpp);
  return xmpp;
}

/** The server with the recording module, alice online, her PushClient (MemoryStore unless given). */
async function online(store = new MemoryStore()) {
  const recorded: Recorded[] = [];
  start(recorded);
  const xmpp = connection();
  await xmpp.start();
  return { recorded, xmpp, push: new PushClient(asClient(xmpp), { store, extensions: [push2] }) };
}

/** A browser's subscription, as the push service would mint it: a real P-256 p256dh and 16 random auth octets. */
async function browserSubscription(): Promise<WebPushSubscriptionJSON> {
  const pair = (await webcrypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"])) as CryptoKeyPair;
  const p256dh = bytesToBase64Url(await webcrypto.subtle.exportKey("raw", pair.publicKey));
  return { endpoint: "https://push.example.net/wpush/v2/abc123", keys: { p256dh, auth: bytesToBase64Url(webcrypto.getRandomValues(new Uint8Array(16))) } };
}

/** A fake browser subscribe: records the applicationServerKey each call got. */
function subscriber(subscription: WebPushSubscriptionJSON, keys: string[]) {
  return async (applicationServerKey: string) => {
    keys.push(applicationServerKey);
    return subscription;
  };
}

const enables = (recorded: Recorded[]) => recorded.filter((entry) => entry.element.name === "enable");
const b64 = (text: string) => Buffer.from(text, "base64url");

describe("PushClient and Push 2.0 (C22–C27)", () => {
  it("isPush2Supported() follows the account's disco#info; pushFeatures() says push2 (C26)", async () => {
    start([]);
    const xmpp = connection();
    await xmpp.start();
    const push = new PushClient(asClient(xmpp), { extensions: [push2] });
    expect(await push.isPush2Supported()).toBe(true);
    expect(await push.pushFeatures()).toMatchObject({ push2: true });
    await xmpp.stop();
    await server.close();

    start([], { push2: false });
    const plain = connection();
    await plain.start();
    expect(await new PushClient(asClient(plain)).isPush2Supported()).toBe(false);
  });

  it("subscribePush2 makes an ES256 key pair, subscribes the browser with its public key and enables with what the subscription holds (C23, C24)", async () => {
    const store = new MemoryStore();
    const { recorded, push } = await online(store);
    const subscription = await browserSubscription();
    const keys: string[] = [];

    const registration = await push.subscribePush2({ service: SERVICE, subscription: subscriber(subscription, keys), grace: 60, filters: [{ jid: "team@conference.example.test", mention: true }] });

    expect(keys).toEqual([registration.push2!.vapidKeys.publicKey]);
    const [enable] = enables(recorded);
    expect(enable!.account).toBe("alice@example.test");
    const element = enable!.element;
    expect(element.getChildText("service")).toBe(SERVICE);
    expect(element.getChildText("client")).toBe(subscription.endpoint);
    const match = element.getChild("match")!;
    expect(match.attrs.profile).toBe("urn:xmpp:push2:match:important");
    expect(match.getChildText("grace")).toBe("60");
    expect(match.getChild("filter")?.attrs.jid).toBe("team@conference.example.test");
    const send = match.getChild("send", "urn:xmpp:push2:send:sce+rfc8291+rfc8292:0")!;
    expect(Buffer.from(send.getChildText("ua-public")!, "base64")).toEqual(b64(subscription.keys.p256dh));
    expect(Buffer.from(send.getChildText("auth-secret")!, "base64")).toEqual(b64(subscription.keys.auth));
    expect(send.getChildText("jwt-alg")).toBe("ES256");
    expect(send.getChildren("jwt-claim").map((claim: Element) => [claim.attrs.name, claim.text()])).toEqual([["aud", "https://push.example.net"]]);

    // The jwt-key is the PKCS#8 private half of the key the browser subscribed with: what it signs, the public key verifies.
    const privateKey = await webcrypto.subtle.importKey("pkcs8", Buffer.from(send.getChildText("jwt-key")!, "base64"), { name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]);
    const publicKey = await webcrypto.subtle.importKey("raw", b64(keys[0]!), { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]);
    const data = new TextEncoder().encode("header.claims");
    const signature = await webcrypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, privateKey, data);
    expect(await webcrypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, publicKey, signature, data)).toBe(true);

    expect(await store.list()).toEqual([expect.objectContaining<Partial<Registration>>({ dialect: "push2", account: "alice@example.test", jid: SERVICE, enabledAt: expect.any(Number) })]);
  });

  it("subscribing again reuses the stored key pair (the browser's subscription stays valid) and replaces the registration (C24)", async () => {
    const { recorded, push } = await online();
    const subscription = await browserSubscription();
    const keys: string[] = [];
    const first = await push.subscribePush2({ service: SERVICE, subscription: subscriber(subscription, keys) });
    const second = await push.subscribePush2({ service: SERVICE, subscription: subscriber(subscription, keys), grace: 30 });
    expect(keys).toEqual([first.push2!.vapidKeys.publicKey, first.push2!.vapidKeys.publicKey]);
    expect(second.push2!.grace).toBe(30);
    expect(await push.registrations()).toHaveLength(1);
    expect(enables(recorded)).toHaveLength(2);
  });

  it("after a fresh session the stored registration is enabled again, the same enable (C24, C15)", async () => {
    const { recorded, xmpp, push } = await online();
    await push.subscribePush2({ service: SERVICE, subscription: subscriber(await browserSubscription(), []) });
    await xmpp.stop();
    await xmpp.start();
    await waitFor(() => enables(recorded).length === 2, 3000, "the enable after the new session");
    const [first, again] = enables(recorded);
    expect(again!.element.toString()).toBe(first!.element.toString());
  });

  it("unsubscribe() sends <disable xmlns='urn:xmpp:push2:0'/> and forgets the registration; no app server is asked (C25)", async () => {
    const { recorded, push } = await online();
    const registration = await push.subscribePush2({ service: SERVICE, subscription: subscriber(await browserSubscription(), []) });
    const report = await push.unsubscribe();
    expect(report).toEqual({ removed: [expect.objectContaining({ id: registration.id })], pending: [], errors: [] });
    const disable = recorded.at(-1)!.element;
    expect(disable.name).toBe("disable");
    expect(disable.attrs).toEqual({ xmlns: NS_PUSH2 });
    expect(disable.children).toEqual([]);
    expect(await push.registrations()).toEqual([]);
  });

  it("a subscription without an endpoint, or a ready one without its key pair, is bad-request before anything is sent or stored (C24)", async () => {
    const { recorded, push } = await online();
    const subscription = await browserSubscription();
    await expect(push.subscribePush2({ service: SERVICE, subscription: subscriber({ ...subscription, endpoint: "" }, []) })).rejects.toMatchObject({ condition: "bad-request" });
    await expect(push.subscribePush2({ service: SERVICE, subscription })).rejects.toMatchObject({ condition: "bad-request" });
    expect(recorded).toEqual([]);
    expect(await push.registrations()).toEqual([]);
  });
});

/** A first login that subscribes and logs out: the store then holds the Push 2.0 registration, as after a reload. */
async function subscribedOnce(): Promise<MemoryStore> {
  const store = new MemoryStore();
  const first = connection();
  await first.start();
  const push = new PushClient(asClient(first), { store, extensions: [push2] });
  await push.subscribePush2({ service: SERVICE, subscription: subscriber(await browserSubscription(), []) });
  push.dispose();
  await first.stop();
  return store;
}

describe("Push 2.0 inline in Bind2 (C27)", () => {
  it("with enablePush2Inline() the stored enable rides in the Bind2 request: the login takes the same two round trips, and no enable IQ follows", async () => {
    const recorded: Recorded[] = [];
    start(recorded, { inline: true });
    const store = await subscribedOnce();
    expect(recorded.map((entry) => entry.how)).toEqual(["iq"]);

    // A reload: a new connection and PushClient over the same store, with no JID yet.
    const xmpp = connection();
    const push = new PushClient(asClient(xmpp), { store, extensions: [push2] });
    expect(push.enablePush2Inline()).toBe(true);
    const login = recordLogin(xmpp);
    await xmpp.start();
    const exchange = await login;

    expect(exchange.roundTrips).toBe(2);
    const bind = exchange.sent[0]!.getChild("bind", NS_BIND2)!;
    expect(bind.getChild("enable", NS_PUSH2)?.toString()).toBe(recorded[0]!.element.toString());
    expect(recorded.map((entry) => entry.how)).toEqual(["iq", "bind2"]);
    // The restore after online runs in PushClient's queue of registration changes: once a no-op unsubscribe got through, it is done.
    await push.unsubscribe({ appServer: "nothing.example.test" });
    expect(recorded.map((entry) => entry.how)).toEqual(["iq", "bind2"]);
  });

  it("where the server does not offer it inline, the enable goes as an IQ after online as before", async () => {
    const recorded: Recorded[] = [];
    start(recorded, { inline: false });
    const store = await subscribedOnce();

    const xmpp = connection();
    const push = new PushClient(asClient(xmpp), { store, extensions: [push2] });
    push.enablePush2Inline();
    await xmpp.start();
    await waitFor(() => recorded.length === 2, 3000, "the enable IQ after online");
    expect(recorded.map((entry) => entry.how)).toEqual(["iq", "iq"]);
  });
});
