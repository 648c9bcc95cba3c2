/**
 * Throughput and latency from the app server through web-push to the push-service simulator on
 * loopback: XEP-0357 publishes are handed to the app server (as a user's server would send
 * them), its Web Push provider encrypts (RFC 8291) and signs (RFC 8292) each notification and
 * POSTs it, and the push service checks, decrypts and records it. A notification's latency runs
 * from the publish to the app server's result (the push service has answered 201 by then).
 * Run: npx tsx bench/webpush.ts  [--users 200 --notifications 5000 --window 32]
 */
import { performance } from "node:perf_hooks";
import webPush from "web-push";
import { createPushService, generateVapidKeys, webPushProvider } from "../src/node/index.js";
import { buildCommandRequest, buildIq, buildNotification, buildPublish, formFromValues, NS } from "../src/protocol/index.js";
import { createAppServer } from "../src/sim/index.js";
import { numberArg } from "./args.js";

const USERS = numberArg("users", 200);
const NOTIFICATIONS = numberArg("notifications", 5000);
const WINDOW = numberArg("window", 32);
const APP = "push.bench.test";

const vapid = { subject: "mailto:bench@example.test", ...generateVapidKeys() };
const pushService = await createPushService();
const appServer = createAppServer({ jid: APP, providers: { webpush: webPushProvider({ vapid }) } });

const targets: { node: string; secret: string }[] = [];
for (let user = 0; user < USERS; user++) {
  const subscription = pushService.subscribe({ applicationServerKey: vapid.publicKey });
  const form = formFromValues("submit", undefined, { endpoint: subscription.endpoint, ...subscription.keys });
  const reply = await appServer.handleIq(
    buildIq({ type: "set", id: `r${user}`, from: `user${user}@bench.test/phone`, to: APP }, buildCommandRequest({ node: "register-push-webpush", form })),
  );
  const [registration] = appServer.registrations(`user${user}@bench.test`);
  if (reply.attrs.type !== "result" || !registration) throw new Error(`registration ${user} failed: ${reply.toString()}`);
  targets.push({ node: registration.node, secret: registration.secret });
}

let accepted = 0;
pushService.on("message", () => accepted++);
let refused = 0;
pushService.on("refused", () => refused++);

const latencies: number[] = [];
let failures = 0;
let next = 0;

async function worker(): Promise<void> {
  while (next < NOTIFICATIONS) {
    const sequence = next++;
    const target = targets[sequence % USERS];
    if (!target) throw new Error("no target");
    const summary = { messageCount: Math.floor(sequence / USERS) + 1, lastMessageSender: "alice@bench.test/laptop", lastMessageBody: `message ${sequence}` };
    const publish = buildPublish({
      node: target.node,
      payload: buildNotification({ summary }),
      publishOptions: formFromValues("submit", NS.publishOptions, { secret: target.secret }),
    });
    const started = performance.now();
    const reply = await appServer.handleIq(buildIq({ type: "set", id: `p${sequence}`, from: "bench.test", to: APP }, publish));
    latencies.push(performance.now() - started);
    if (reply.attrs.type !== "result") failures++;
  }
}

const start = performance.now();
await Promise.all(Array.from({ length: WINDOW }, () => worker()));
const seconds = (performance.now() - start) / 1000;

// For scale: web-push's per-notification encryption, and signing a VAPID token (the provider reuses one per origin).
const sample = pushService.subscribe({ applicationServerKey: vapid.publicKey });
const timeEach = (count: number, work: (index: number) => void): number => {
  const began = performance.now();
  for (let index = 0; index < count; index++) work(index);
  return (performance.now() - began) / count;
};
const encryptMs = timeEach(500, (index) => webPush.generateRequestDetails(sample, `{"v":1,"node":"n","summary":{"messageCount":${index}}}`, { TTL: 60, contentEncoding: "aes128gcm" }));
const signMs = timeEach(500, () => webPush.getVapidHeaders(pushService.origin, vapid.subject, vapid.publicKey, vapid.privateKey, "aes128gcm"));

await pushService.close();

latencies.sort((a, b) => a - b);
const percentile = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? Number.NaN;
console.log(`web push: ${NOTIFICATIONS} notifications to ${USERS} subscriptions, ${WINDOW} in flight, node ${process.version}`);
console.log(`  ${(NOTIFICATIONS / seconds).toFixed(0)} notifications/s (${seconds.toFixed(2)} s)`);
console.log(`  latency p50 ${percentile(50).toFixed(2)} ms, p99 ${percentile(99).toFixed(2)} ms, max ${percentile(100).toFixed(2)} ms`);
console.log(`  push service: ${accepted} accepted (201), ${refused} refused; app server errors: ${failures}`);
console.log(`  web-push alone: encrypt ${encryptMs.toFixed(3)} ms, sign a VAPID token ${signMs.toFixed(3)} ms`);
