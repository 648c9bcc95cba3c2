/**
 * The SDK's Push 2.0 path against the reference server's own push2 module (not a stand-in), and
 * Borogove's enable, as its source builds it, sent verbatim (C22, P2S1).
 */
import { webcrypto } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { PushClient, push2, type WebPushSubscriptionJSON } from "../../../src/index.js";
import { bytesToBase64Url, type Element } from "../../../src/protocol/index.js";
import { createXmppServer, type SimulatedClient, type XmppServer } from "../../../src/sim/index.js";
import { BOROGOVE_DISABLE, BOROGOVE_ENABLE } from "../../fixtures/push2/borogove-enable.js";
import { nextEvent, record } from "../../helpers/chain.js";
import { recordLogin } from "../../helpers/login-exchange.js";
import { parseXml } from "../../helpers/parse-xml.js";
import { asClient } from "../../helpers/real-client.js";

const SERVICE = "relay.example.test";
let server: XmppServer;
const clients: SimulatedClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) if (client.status === "online") await client.stop();
  await server?.close();
});

function start(options: { sasl2?: boolean } = {}): void {
  server = createXmppServer({ domain: "example.test", users: { alice: "pw", bob: "pw" }, push2: true, sasl2: options.sasl2 ?? false });
}

function connection(username = "alice"): SimulatedClient {
  const xmpp = server.client({ username, password: "pw", resource: "browser", userAgent: { id: "a11ce000-0000-4000-8000-000000000001" } });
  xmpp.on("error", () => {});
  xmpp.reconnect.stop();
  clients.push(xmpp);
  return xmpp;
}

async function browserSubscription(): Promise<WebPushSubscriptionJSON> {
  const pair = (await webcrypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"])) as CryptoKeyPair;
  const p256dh = bytesToBase64Url(await webcrypto.subtle.exportKey("raw", pair.publicKey));
  return { endpoint: "https://push.example.net/wpush/v2/abc123", keys: { p256dh, auth: bytesToBase64Url(webcrypto.getRandomValues(new Uint8Array(16))) } };
}

describe("Push 2.0: the SDK and the reference server's push2 module together", () => {
  it("Borogove's enable is accepted verbatim, and its disable removes the registration", async () => {
    start();
    const alice = connection();
    await alice.start();
    const enable = parseXml(BOROGOVE_ENABLE);
    delete enable.attrs.xmlns;
    await alice.iqCaller.request(enable);
    expect(server.push2Registrations("alice")).toMatchObject([{ service: SERVICE, client: "https://push.example.net/wpush/v2/abc123" }]);
    const disable = parseXml(BOROGOVE_DISABLE);
    delete disable.attrs.xmlns;
    await alice.iqCaller.request(disable);
    expect(server.push2Registrations("alice")).toEqual([]);
  });

  it("subscribePush2 registers at the server; a message while offline notifies the service; unsubscribe disables", async () => {
    start();
    const alice = connection();
    await alice.start();
    const push = new PushClient(asClient(alice), { extensions: [push2] });
    const subscription = await browserSubscription();
    await push.subscribePush2({ service: SERVICE, subscription: async () => subscription });
    expect(server.push2Registrations("alice")).toMatchObject([{ service: SERVICE, client: subscription.endpoint }]);

    await alice.stop();
    const bob = connection("bob");
    await bob.start();
    const notified = nextEvent(server, "push2-notified");
    await bob.send(parseXml(`<message to='alice@example.test' type='chat'><body>Lunch?</body></message>`) as Element);
    const [registration, message] = await notified;
    expect(registration.client).toBe(subscription.endpoint);
    expect(message.attrs.to).toBe(SERVICE);

    const again = connection();
    await again.start();
    const report = await new PushClient(asClient(again), { store: push.store, extensions: [push2] }).unsubscribe();
    expect(report.errors).toEqual([]);
    expect(server.push2Registrations("alice")).toEqual([]);
  });

  it("the inline enable in Bind2 is taken by the real module with no extra round trip", async () => {
    start({ sasl2: true });
    const subscription = await browserSubscription();
    const first = connection();
    await first.start();
    const push = new PushClient(asClient(first), { extensions: [push2] });
    await push.subscribePush2({ service: SERVICE, subscription: async () => subscription });
    await first.stop();
    const enabled = server.push2Registrations("alice")[0]!.enabledAt;

    const second = connection();
    const again = new PushClient(asClient(second), { store: push.store, extensions: [push2] });
    expect(again.enablePush2Inline()).toBe(true);
    const enables = record(server, "push2-enabled");
    const login = recordLogin(second);
    await second.start();
    const exchange = await login;
    expect(exchange.roundTrips).toBe(2);
    expect(exchange.sent[0]?.getChild("bind", "urn:xmpp:bind:0")?.getChild("enable", "urn:xmpp:push2:0")).toBeDefined();
    // Enabled during the login; a round trip later, no enable IQ has followed.
    expect(enables).toHaveLength(1);
    await again.unsubscribe({ appServer: "nothing.example.test" });
    expect(enables).toHaveLength(1);
    const [registration] = server.push2Registrations("alice");
    expect(registration).toMatchObject({ service: SERVICE, client: subscription.endpoint });
    expect(registration!.enabledAt).toBeGreaterThanOrEqual(enabled);
    expect(server.push2Registrations("alice")).toHaveLength(1);
  });
});
