/**
 * The Web Push provider against its floor. The provider encrypts (RFC 8291) and signs (RFC 8292)
 * each notification and POSTs it; the push side runs in a child process (bench/webpush-service.ts)
 * so that its work is not counted here: the push-service simulator, which checks the VAPID token
 * and decrypts every push, and a sink that answers 201 unread, so that the provider's own cost
 * shows when the service is not the slower side (a process waiting on a slow peer spends more
 * CPU per request: it wakes once per answer, with cold caches).
 *
 * The floor is what no provider can skip: web-push's `generateRequestDetails` for the same
 * payloads (RFC 8291 encryption and the RFC 8030 headers) plus the VAPID header, signed once as
 * the provider does, with no network. Everything runs in this process in interleaved rounds
 * (floor, provider → simulator, floor, provider → sink, floor, app server + provider → sink; ×
 * rounds); a path's ratio is its notifications per CPU-second of this process over those of
 * the floor measured just before it.
 * Run: npx tsx bench/webpush.ts  [--users 200 --notifications 3000 --window 32 --rounds 3]
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";
import webPush from "web-push";
import { generateVapidKeys, type MintedSubscription, webPushProvider } from "../src/node/index.js";
import type { AppRegistration } from "../src/sim/index.js";
import { topicForNode } from "../src/node/web-push/topic.js";
import { buildCommandRequest, buildIq, buildNotification, buildPublish, encodePushPayload, formFromValues, NS, type Summary } from "../src/protocol/index.js";
import { createAppServer } from "../src/sim/index.js";
import { numberArg } from "./args.js";
import type { ReportReply, ServiceRequest, SubscribeReply } from "./webpush-service.js";

const USERS = numberArg("users", 200);
const NOTIFICATIONS = numberArg("notifications", 3000);
const WINDOW = numberArg("window", 32);
const ROUNDS = numberArg("rounds", 3);
const WARM_UP = Math.min(500, NOTIFICATIONS);
const APP = "push.bench.test";
const TTL = 60;

// --- the push service, in a child process -------------------------------------------------

const child = fork(fileURLToPath(new URL("./webpush-service.ts", import.meta.url)), { execArgv: process.execArgv, stdio: "inherit" });
type ServiceReply = SubscribeReply | ReportReply;
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
const { origin, sinkOrigin, subscriptions } = await ask<SubscribeReply>({ subscribe: USERS, applicationServerKey: vapid.publicKey });

// --- app server → Web Push provider → HTTP --------------------------------------------------

const provider = webPushProvider({ vapid, ttl: TTL });
const appServer = createAppServer({ jid: APP, providers: { webpush: provider } });
interface Target {
  node: string;
  secret: string;
  owner: string;
  registration: AppRegistration;
  subscription: MintedSubscription;
  topic: string;
}

/** Registers one user per subscription, its endpoint moved to `at` (the simulator's origin or the sink's). */
async function register(prefix: string, at: string): Promise<Target[]> {
  const targets: Target[] = [];
  for (const [user, minted] of subscriptions.entries()) {
    const subscription = { ...minted, endpoint: minted.endpoint.replace(origin, at) };
    const form = formFromValues("submit", undefined, { endpoint: subscription.endpoint, ...subscription.keys });
    const owner = `${prefix}${user}@bench.test`;
    const reply = await appServer.handleIq(buildIq({ type: "set", id: `r${user}`, from: `${owner}/phone`, to: APP }, buildCommandRequest({ node: "register-push-webpush", form })));
    const [registration] = appServer.registrations(owner);
    if (reply.attrs.type !== "result" || !registration) throw new Error(`registration ${owner} failed: ${reply.toString()}`);
    targets.push({ node: registration.node, secret: registration.secret, owner, registration, subscription, topic: topicForNode(registration.node) });
  }
  return targets;
}
const toSimulator = await register("user", origin);
const toSink = await register("sunk", sinkOrigin);

function targetOf(targets: Target[], sequence: number): Target {
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

interface Run {
  latencies: number[];
  failures: number;
}

/** `count` notifications from `first` on, WINDOW in flight; `one` says whether a notification went through. */
async function windowed(first: number, count: number, one: (sequence: number) => Promise<boolean>): Promise<Run> {
  const latencies: number[] = [];
  let failures = 0;
  let next = first;
  const end = first + count;
  const worker = async () => {
    while (next < end) {
      const sequence = next++;
      const started = performance.now();
      const ok = await one(sequence);
      latencies.push(performance.now() - started);
      if (!ok) failures++;
    }
  };
  await Promise.all(Array.from({ length: WINDOW }, () => worker()));
  return { latencies, failures };
}

/** The provider alone, handed what the app server would hand it. */
const viaProvider = (targets: Target[]) => (first: number, count: number) =>
  windowed(first, count, async (sequence) => {
    const target = targetOf(targets, sequence);
    const message = { provider: "webpush", token: target.subscription.endpoint, node: target.node, summary: summaryOf(sequence), registration: target.registration };
    return (await provider.send(message)).ok;
  });

/** The chain: the app server takes the publish, checks it and calls the provider. */
const viaAppServer = (targets: Target[]) => (first: number, count: number) =>
  windowed(first, count, async (sequence) => {
    const target = targetOf(targets, sequence);
    const publish = buildPublish({
      node: target.node,
      payload: buildNotification({ summary: summaryOf(sequence) }),
      publishOptions: formFromValues("submit", NS.publishOptions, { secret: target.secret }),
    });
    const reply = await appServer.handleIq(buildIq({ type: "set", id: `p${sequence}`, from: "bench.test", to: APP }, publish));
    return reply.attrs.type === "result";
  });

// --- the floor: encryption and the headers for the same payloads, no network ----------------

const vapidHeader = webPush.getVapidHeaders(sinkOrigin, vapid.subject, vapid.publicKey, vapid.privateKey, "aes128gcm").Authorization;
async function floor(first: number, count: number): Promise<number> {
  let bytes = 0;
  for (let sequence = first; sequence < first + count; sequence++) {
    const target = targetOf(toSimulator, sequence);
    const payload = encodePushPayload({ v: 1, node: target.node, account: target.owner, summary: summaryOf(sequence) });
    const details = webPush.generateRequestDetails(target.subscription, payload, { TTL, urgency: "high", topic: target.topic, contentEncoding: "aes128gcm" });
    details.headers.Authorization = vapidHeader;
    bytes += details.body.length;
  }
  return bytes;
}

// --- rounds ---------------------------------------------------------------------------------

const paths = {
  "provider → simulator": viaProvider(toSimulator),
  "provider → sink": viaProvider(toSink),
  "app server + provider → sink": viaAppServer(toSink),
};
type PathName = keyof typeof paths;
const pathNames = Object.keys(paths) as PathName[];

await floor(0, WARM_UP);
let sequence = WARM_UP;
for (const name of pathNames) {
  await paths[name](sequence, WARM_UP);
  sequence += WARM_UP;
}

interface Figures {
  perCpu: number;
  perWall: number;
  ratio: number;
}
const figures = Object.fromEntries(pathNames.map((name) => [name, [] as Figures[]])) as Record<PathName, Figures[]>;
const latencies = Object.fromEntries(pathNames.map((name) => [name, [] as number[]])) as Record<PathName, number[]>;
const floors: number[] = [];
let failures = 0;
for (let round = 0; round < ROUNDS; round++) {
  for (const name of pathNames) {
    const path = paths[name];
    const floorRun = await measure(() => floor(sequence, NOTIFICATIONS));
    const run = await measure(() => path(sequence, NOTIFICATIONS));
    sequence += NOTIFICATIONS;
    latencies[name].push(...run.result.latencies);
    failures += run.result.failures;
    const floorPerCpu = NOTIFICATIONS / floorRun.cpuSeconds;
    floors.push(floorPerCpu);
    const perCpu = NOTIFICATIONS / run.cpuSeconds;
    figures[name].push({ perCpu, perWall: NOTIFICATIONS / run.wallSeconds, ratio: perCpu / floorPerCpu });
  }
}

const { accepted, refused, sunk } = await ask<ReportReply>({ report: true });
child.send({ close: true } satisfies ServiceRequest);

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const spread = (values: number[], digits: number) => {
  const ordered = sorted(values);
  return [ordered[0], ordered[Math.floor(ordered.length / 2)], ordered[ordered.length - 1]].map((value) => (value ?? Number.NaN).toFixed(digits)).join(" / ");
};
const percentile = (values: number[], p: number) => {
  const ordered = sorted(values);
  return (ordered[Math.min(ordered.length - 1, Math.floor((p / 100) * ordered.length))] ?? Number.NaN).toFixed(2);
};

console.log(`web push: ${ROUNDS} rounds of ${NOTIFICATIONS} notifications to ${USERS} subscriptions, ${WINDOW} in flight; push service in a child process; node ${process.version}, ${cpus().length} cores`);
console.log(`  floor (web-push generateRequestDetails + the VAPID header, no network): ${spread(floors, 0)} notifications per CPU-second (min / median / max)`);
for (const name of pathNames) {
  const runs = figures[name];
  console.log(`  ${name}: / floor per CPU-second ${spread(runs.map((run) => run.ratio), 2)} (rounds: ${runs.map((run) => run.ratio.toFixed(2)).join(", ")})`);
  console.log(`    ${spread(runs.map((run) => run.perCpu), 0)} notifications per CPU-second of this process, ${spread(runs.map((run) => run.perWall), 0)} per wall second`);
  console.log(`    latency p50 ${percentile(latencies[name], 50)} ms, p99 ${percentile(latencies[name], 99)} ms, max ${percentile(latencies[name], 100)} ms`);
}
console.log(`  push-service simulator: ${accepted} accepted (201), ${refused} refused; sink: ${sunk}; failed: ${failures}`);
