/**
 * `npm run bench -- --push2`: Push 2.0 against the XEP-0357 Web Push path in one run, both ending
 * at the same push-service simulator over real HTTP on loopback. A message's latency runs from
 * alice's send() to the simulator accepting its push (201, after checking the VAPID JWT and
 * decrypting it), so both columns include the simulator's own verification and decryption.
 * Push 2.0: the reference server's push2 module encrypts (RFC 8291) and signs (a JWT per message)
 * → the relay POSTs. XEP-0357: the server publishes to the app server → its Web Push provider
 * (web-push) encrypts, reuses one VAPID token per origin, and POSTs.
 */
import { cpus } from "node:os";
import type { PushClient } from "xmpp-push";
import { createPush2Relay, createPushService, generateVapidKeys, type PushService, webPushProvider } from "xmpp-push/sim/node";
import { createAppServer, createXmppServer, type XmppServer } from "xmpp-push/sim";
import { readPush2Envelope } from "../src/protocol/push2-envelope.js";
import type { ChainBenchOptions } from "./options.js";
import { memory, subscribeUsers, usernames } from "./subscribe-users.js";
import { type DeliverySource, windowedRun, type WindowedRunResult } from "./windowed-run.js";

const DELIVERY_TIMEOUT = 120_000;
const DOMAIN = "bench.test";

interface PathResult {
  name: string;
  setupSeconds: number;
  run: WindowedRunResult;
  cpuSeconds: number;
  accepted: number;
  refused: number;
}

export async function runPush2Bench({ users, messages, window }: ChainBenchOptions): Promise<void> {
  console.log(`push2: ${messages} messages to ${users} offline users, ${window} in flight, each path in turn; latency = send → push service 201`);
  const results = [await push2Path(users, messages, window), await webPushPath(users, messages, window)];
  for (const result of results) {
    const { run } = result;
    console.log(
      `${result.name}: ${(run.latencies.length / run.seconds).toFixed(0)} notifications/s (${run.seconds.toFixed(2)} s, ${((result.cpuSeconds * 1e6) / run.latencies.length).toFixed(0)} µs CPU each), ` +
        `p50 ${run.percentile(50).toFixed(2)} ms, p99 ${run.percentile(99).toFixed(2)} ms; push service ${result.accepted} accepted, ${result.refused} refused; setup ${result.setupSeconds.toFixed(1)} s`,
    );
  }
  const [push2, webPush] = results.map((result) => result.run.latencies.length / result.run.seconds);
  console.log(`Push 2.0 / XEP-0357 Web Push throughput: ${((push2 ?? 0) / (webPush ?? 1)).toFixed(2)}; ${memory()}; ${cpus().length} cores`);
}

async function push2Path(users: number, messages: number, window: number): Promise<PathResult> {
  const pushService = await createPushService();
  const names = usernames("user", users);
  // The simulator, like Apple's service, takes only a mailto:/https: `sub` (P2S16).
  const server = createXmppServer({ domain: DOMAIN, users: accounts(names), push2: { contactUri: "mailto:bench@example.test" } });
  const relay = createPush2Relay({ jid: `relay.${DOMAIN}`, allowEndpoint: (url) => url.origin === pushService.origin, maxConcurrent: window, maxQueue: window });
  server.attach(relay);
  const { seconds } = await subscribeUsers(server, names, (push) =>
    push.subscribePush2({ service: relay.jid, subscription: async (applicationServerKey) => pushService.subscribe({ applicationServerKey }) }),
  );
  const deliveries: DeliverySource = (listener) => {
    const onMessage = ({ plaintext }: { plaintext: string | undefined }) => listener(readPush2Envelope(plaintext ?? "")?.message);
    pushService.on("message", onMessage);
    return () => pushService.off("message", onMessage);
  };
  const result = await measure("Push 2.0 (server encrypts + signs → relay → push service)", server, pushService, deliveries, users, messages, window, seconds);
  await relay.close();
  return result;
}

async function webPushPath(users: number, messages: number, window: number): Promise<PathResult> {
  const pushService = await createPushService();
  const names = usernames("user", users);
  const vapid = { subject: "mailto:bench@example.test", ...generateVapidKeys() };
  const server = createXmppServer({ domain: DOMAIN, users: accounts(names), push: { includeBody: true } });
  const appServer = createAppServer({ jid: `push.${DOMAIN}`, providers: { webpush: webPushProvider({ vapid }) } });
  server.attach(appServer);
  const { seconds } = await subscribeUsers(server, names, (push: PushClient) =>
    push.subscribe({ appServer: appServer.jid, provider: "webpush", token: pushService.subscribe({ applicationServerKey: vapid.publicKey }) }),
  );
  const deliveries: DeliverySource = (listener) => {
    const onMessage = ({ plaintext }: { plaintext: string | undefined }) => listener((JSON.parse(plaintext ?? "{}") as { summary?: { lastMessageBody?: string } }).summary?.lastMessageBody);
    pushService.on("message", onMessage);
    return () => pushService.off("message", onMessage);
  };
  return measure("XEP-0357 Web Push (server → app server → web-push → push service)", server, pushService, deliveries, users, messages, window, seconds);
}

async function measure(name: string, server: XmppServer, pushService: PushService, deliveries: DeliverySource, users: number, messages: number, window: number, setupSeconds: number): Promise<PathResult> {
  let refused = 0;
  let accepted = 0;
  pushService.on("refused", () => void refused++);
  // Counted as they come: `messages` drops a push its Topic replaced while pending (the app server sets one).
  pushService.on("message", () => void accepted++);
  const alice = server.client({ username: "alice", password: "pw", resource: "bench" });
  await alice.start();
  const cpuBefore = process.cpuUsage();
  const run = await windowedRun({ sender: alice, deliveries, recipient: (sequence) => `user${sequence % users}@${DOMAIN}`, messages, window, timeout: DELIVERY_TIMEOUT });
  const cpu = process.cpuUsage(cpuBefore);
  await alice.stop();
  await server.close();
  await pushService.close();
  return { name, setupSeconds, run, cpuSeconds: (cpu.user + cpu.system) / 1e6, accepted, refused };
}

function accounts(names: readonly string[]): Record<string, string> {
  return Object.fromEntries([...names, "alice"].map((name) => [name, "pw"]));
}
