/**
 * The Web Push provider against its floor. XEP-0357 publishes are handed to the app server (as a
 * user's server would send them), its Web Push provider encrypts (RFC 8291) and signs (RFC 8292)
 * each notification and POSTs it to the push-service simulator, which runs in a child process
 * (bench/webpush-service.ts) so that its checks and decryption are not counted here.
 *
 * The floor is what no provider can skip: web-push's `generateRequestDetails` for the same
 * payloads (RFC 8291 encryption and the RFC 8030 headers) plus the VAPID header, signed once as
 * the provider does, with no network. Both run in this process, in interleaved rounds (floor,
 * chain, floor, chain, …); the ratio is the chain's notifications per CPU-second of this process
 * over the floor's.
 * Run: npx tsx bench/webpush.ts  [--users 200 --notifications 3000 --window 32 --rounds 3]
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";
import webPush from "web-push";
import { generateVapidKeys, type MintedSubscription, webPushProvider } from "../src/node/index.js";
import { topicForNode } from "../src/node/web-push/topic.js";
import { buildCommandRequest, buildIq, buildNotification, buildPublish, encodePushPayload, formFromValues, NS, type Summary } from "../src/protocol/index.js";
import { createAppServer } from "../src/sim/index.js";
import { numberArg } from "./args.js";
import type { ServiceReply, ServiceRequest } from "./webpush-service.js";

const USERS = numberArg("users", 200);
const NOTIFICATIONS = numberArg("notifications", 3000);
const WINDOW = numberArg("window", 32);
const ROUNDS = numberArg("rounds", 3);
const WARM_UP = Math.min(500, NOTIFICATIONS);
const APP = "push.bench.test";
const TTL = 60;

// --- the push service, in a child process -------------------------------------------------

const child = fork(fileURLToPath(new URL("./webpush-service.ts", import.meta.url)), { execArgv: process.execArgv, stdio: "inherit" });
const replies: ((reply: ServiceReply) => void)[] = [];
const childReady = new Promise<void>((resolve) => child.once("message", () => resolve()));
child.on("message", (reply: ServiceReply) => replies.shift()?.(reply));
await childReady;
function ask<Reply extends ServiceReply>(request: ServiceRequest): Promise<Reply> {
  return new Promise((resolve) => {
    replies.push((reply) => resolve(reply as Reply));
    child.send(request);
  });
}

const vapid = { subject: "mailto:bench@example.test", ...generateVapidKeys() };
const { origin, subscriptions } = await ask<{ origin: string; subscriptions: MintedSubscription[] }>({ subscribe: USERS, applicationServerKey: vapid.publicKey });

// --- the chain: app server → Web Push provider → HTTP ---------------------------------------

const appServer = createAppServer({ jid: APP, providers: { webpush: webPushProvider({ vapid, ttl: TTL }) } });
interface Target {
  node: string;
  secret: string;
  owner: string;
  subscription: MintedSubscription;
  topic: string;
}
const targets: Target[] = [];
for (const [user, subscription] of subscriptions.entries()) {
  const form = formFromValues("submit", undefined, { endpoint: subscription.endpoint, ...subscription.keys });
  const owner = `user${user}@bench.test`;
  const reply = await appServer.handleIq(buildIq({ type: "set", id: `r${user}`, from: `${owner}/phone`, to: APP }, buildCommandRequest({ node: "register-push-webpush", form })));
  const [registration] = appServer.registrations(owner);
  if (reply.attrs.type !== "result" || !registration) throw new Error(`registration ${user} failed: ${reply.toString()}`);
  targets.push({ node: registration.node, secret: registration.secret, owner, subscription, topic: topicForNode(registration.node) });
}

function targetOf(sequence: number): Target {
  const target = targets[sequence % USERS];
  if (!target) throw new Error("no target");
  return target;
}
function summaryOf(sequence: number): Summary {
  return { messageCount: Math.floor(sequence / USERS) + 1, lastMessageSender: "alice@bench.test/laptop", lastMessageBody: `message ${sequence}` };
}

interface Measure {
  wallSeconds: number;
  cpuSeconds: number;
}
async function measure<T>(work: () => Promise<T>): Promise<Measure & { result: T }> {
  const cpu = process.cpuUsage();
  const began = performance.now();
  const result = await work();
  const used = process.cpuUsage(cpu);
  return { wallSeconds: (performance.now() - began) / 1000, cpuSeconds: (used.user + used.system) / 1e6, result };
}

async function chain(first: number, count: number): Promise<{ latencies: number[]; failures: number }> {
  const latencies: number[] = [];
  let failures = 0;
  let next = first;
  const end = first + count;
  const worker = async () => {
    while (next < end) {
      const sequence = next++;
      const target = targetOf(sequence);
      const publish = buildPublish({
        node: target.node,
        payload: buildNotification({ summary: summaryOf(sequence) }),
        publishOptions: formFromValues("submit", NS.publishOptions, { secret: target.secret }),
      });
      const started = performance.now();
      const reply = await appServer.handleIq(buildIq({ type: "set", id: `p${sequence}`, from: "bench.test", to: APP }, publish));
      latencies.push(performance.now() - started);
      if (reply.attrs.type !== "result") failures++;
    }
  };
  await Promise.all(Array.from({ length: WINDOW }, () => worker()));
  return { latencies, failures };
}

// --- the floor: encryption and the headers for the same payloads, no network ----------------

const vapidHeader = webPush.getVapidHeaders(origin, vapid.subject, vapid.publicKey, vapid.privateKey, "aes128gcm").Authorization;
async function floor(first: number, count: number): Promise<number> {
  let bytes = 0;
  for (let sequence = first; sequence < first + count; sequence++) {
    const target = targetOf(sequence);
    const payload = encodePushPayload({ v: 1, node: target.node, account: target.owner, summary: summaryOf(sequence) });
    const details = webPush.generateRequestDetails(target.subscription, payload, { TTL, urgency: "high", topic: target.topic, contentEncoding: "aes128gcm" });
    details.headers.Authorization = vapidHeader;
    bytes += details.body.length;
  }
  return bytes;
}

// --- rounds ---------------------------------------------------------------------------------

await floor(0, WARM_UP);
await chain(0, WARM_UP);
let sequence = WARM_UP;

interface Round {
  floorPerCpu: number;
  chainPerCpu: number;
  chainPerWall: number;
  ratio: number;
}
const rounds: Round[] = [];
const allLatencies: number[] = [];
let failures = 0;
for (let round = 0; round < ROUNDS; round++) {
  const floorRun = await measure(() => floor(sequence, NOTIFICATIONS));
  const chainRun = await measure(() => chain(sequence, NOTIFICATIONS));
  sequence += NOTIFICATIONS;
  allLatencies.push(...chainRun.result.latencies);
  failures += chainRun.result.failures;
  const floorPerCpu = NOTIFICATIONS / floorRun.cpuSeconds;
  const chainPerCpu = NOTIFICATIONS / chainRun.cpuSeconds;
  rounds.push({ floorPerCpu, chainPerCpu, chainPerWall: NOTIFICATIONS / chainRun.wallSeconds, ratio: chainPerCpu / floorPerCpu });
}

const { accepted, refused } = await ask<{ accepted: number; refused: number }>({ report: true });
child.send({ close: true } satisfies ServiceRequest);

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const spread = (values: number[], digits: number) => {
  const ordered = sorted(values);
  return [ordered[0], ordered[Math.floor(ordered.length / 2)], ordered[ordered.length - 1]].map((value) => (value ?? Number.NaN).toFixed(digits)).join(" / ");
};
const latencies = sorted(allLatencies);
const percentile = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? Number.NaN;

console.log(`web push: ${ROUNDS} rounds of ${NOTIFICATIONS} notifications to ${USERS} subscriptions, ${WINDOW} in flight; push service in a child process; node ${process.version}, ${cpus().length} cores`);
for (const [index, round] of rounds.entries()) {
  console.log(
    `  round ${index + 1}: floor ${round.floorPerCpu.toFixed(0)}/CPU-s; chain ${round.chainPerCpu.toFixed(0)}/CPU-s, ${round.chainPerWall.toFixed(0)}/s wall; chain / floor ${round.ratio.toFixed(2)}`,
  );
}
console.log(`  chain / floor (per CPU-second), min / median / max: ${spread(rounds.map((round) => round.ratio), 2)}`);
console.log(`  chain notifications per CPU-second ${spread(rounds.map((round) => round.chainPerCpu), 0)}; per wall second ${spread(rounds.map((round) => round.chainPerWall), 0)}`);
console.log(`  latency p50 ${percentile(50).toFixed(2)} ms, p99 ${percentile(99).toFixed(2)} ms, max ${percentile(100).toFixed(2)} ms`);
console.log(`  push service: ${accepted} accepted (201), ${refused} refused; app server errors: ${failures}`);
