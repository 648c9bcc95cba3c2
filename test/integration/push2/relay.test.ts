/**
 * Push 2.0 end to end over real HTTP on loopback (P2S13, P2S14, P2S16): the SDK enables with a
 * subscription the push-service simulator minted for its VAPID key → the reference server's push2
 * module encrypts and signs → the relay POSTs → the simulator checks the JWT against `k` and the
 * subscription's key, and decrypts with the keys it minted; the envelope's sender and body are read
 * as the service worker reads them.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PushClient, push2 } from "../../../src/index.js";
import { createPush2Relay, createPushService, type Push2Relay, type Push2RelayLogEntry, type PushService } from "../../../src/node/index.js";
import { readPush2Envelope } from "../../../src/protocol/push2-envelope.js";
import { createXmppServer, type SimulatedClient, type XmppServer } from "../../../src/sim/index.js";
import { chat, nextEvent, record } from "../../helpers/chain.js";
import { asClient } from "../../helpers/real-client.js";

const RELAY = "relay.example.test";
const SECRET = "the plaintext only alice's browser may read: 7f3a-lunch-at-noon";

let pushService: PushService;
let server: XmppServer;
let relay: Push2Relay;
let logged: Push2RelayLogEntry[];
let consoleOutput: unknown[][];
const clients: SimulatedClient[] = [];

beforeEach(async () => {
  consoleOutput = [];
  for (const method of ["log", "info", "warn", "error", "debug"] as const) vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void consoleOutput.push(args));
  pushService = await createPushService();
  // The simulator, like Apple's service, takes only a mailto:/https: `sub` (P2S16).
  server = createXmppServer({ domain: "example.test", users: { alice: "pw", bob: "pw" }, push2: { contactUri: "mailto:ops@example.test", retryDelay: 20 } });
  logged = [];
  relay = createPush2Relay({ jid: RELAY, servers: ["example.test"], allowEndpoint: (url) => url.origin === pushService.origin, log: (entry) => void logged.push(entry) });
  server.attach(relay);
});

afterEach(async () => {
  for (const client of clients.splice(0)) if (client.status === "online") await client.stop();
  await server.close();
  await relay.close();
  await pushService.close();
  vi.restoreAllMocks();
});

function connection(username: string): SimulatedClient {
  const xmpp = server.client({ username, password: "pw", resource: "browser" });
  xmpp.on("error", () => {});
  xmpp.reconnect.stop();
  clients.push(xmpp);
  return xmpp;
}

/** Alice enables Push 2.0 through the SDK with a subscription minted for her VAPID key, then goes offline. */
async function aliceSubscribes(): Promise<string> {
  const alice = connection("alice");
  await alice.start();
  let endpoint = "";
  await new PushClient(asClient(alice), { extensions: [push2] }).subscribePush2({
    service: RELAY,
    subscription: async (applicationServerKey) => {
      const minted = pushService.subscribe({ applicationServerKey });
      endpoint = minted.endpoint;
      return minted;
    },
  });
  await alice.stop();
  return endpoint;
}

async function bobWrites(body: string): Promise<void> {
  const bob = clients.find((client) => client.status === "online") ?? connection("bob");
  if (bob.status !== "online") await bob.start();
  await bob.send(chat("alice@example.test", body));
}

describe("Push 2.0: SDK → reference server → relay → push service", () => {
  it("delivers the message encrypted end to end: the push service verifies the JWT, decrypts, and the envelope names the sender and body", async () => {
    const endpoint = await aliceSubscribes();
    expect(server.push2Registrations("alice")).toMatchObject([{ service: RELAY, client: endpoint }]);

    await bobWrites(SECRET);
    const pushed = await pushService.nextMessage({ endpoint });
    expect(pushed.headers["content-encoding"]).toBe("aes128gcm");
    expect(pushed.headers.authorization).toMatch(/^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=[\w-]+$/);
    expect(pushed.urgency).toBe("normal"); // an important message is <priority>normal</priority> (only calls are high)
    expect(pushed.ttl).toBe(86_400);
    const read = readPush2Envelope(pushed.plaintext ?? "");
    expect(read).toMatchObject({ sender: "bob@example.test/browser", message: SECRET, type: "chat" });

    await relay.idle();
    expect(logged).toEqual([expect.objectContaining({ outcome: "delivered", status: 201, from: "example.test", origin: pushService.origin })]);
    expect(relay.state()).toMatchObject({ delivered: 1, inFlight: 0, queued: 0 });
    // Nothing the relay logged, emitted or keeps holds the message text (P2S16).
    const kept = JSON.stringify({ logged, state: relay.state(), consoleOutput });
    expect(kept).not.toContain("7f3a-lunch-at-noon");
    expect(kept).not.toContain(endpoint.slice(pushService.origin.length)); // the endpoint's path is a capability
  });

  it("a 410 from the push service disables the registration on the server", async () => {
    const endpoint = await aliceSubscribes();
    pushService.expire(endpoint);
    const disabled = nextEvent(server, "push2-disabled");
    const errors = record(server, "push2-error");
    await bobWrites("are you there?");
    const [registration, reason] = await disabled;
    expect(registration.client).toBe(endpoint);
    expect(reason).toBe("error");
    expect(errors.map(([, error, outcome]) => [error.condition, error.type, outcome])).toEqual([["item-not-found", "cancel", "removed"]]);
    expect(server.push2Registrations("alice")).toEqual([]);
    expect(pushService.messages).toEqual([]);
    expect(logged).toMatchObject([{ outcome: "gone", status: 410, error: { type: "cancel", condition: "item-not-found" } }]);
  });

  it("a 429 is answered with wait: the server retries and the push is delivered", async () => {
    const endpoint = await aliceSubscribes();
    pushService.rateLimit(endpoint, { count: 1, retryAfter: 0 });
    const errors = record(server, "push2-error");
    await bobWrites(SECRET);
    const pushed = await pushService.nextMessage({ endpoint });
    expect(readPush2Envelope(pushed.plaintext ?? "")).toMatchObject({ sender: "bob@example.test/browser", message: SECRET });
    expect(errors.map(([, error, outcome]) => [error.condition, error.type, outcome])).toEqual([["resource-constraint", "wait", "retry"]]);
    expect(server.push2Registrations("alice")).toHaveLength(1);
    await relay.idle();
    expect(logged.map((entry) => [entry.outcome, entry.status])).toEqual([
      ["retry", 429],
      ["delivered", 201],
    ]);
    expect(JSON.stringify({ logged, consoleOutput })).not.toContain("7f3a-lunch-at-noon");
  });
});
