/**
 * Throughput and latency of the in-memory chain: 1,000 users with push enabled (each through a
 * real @xmpp/client + PushClient), then messages to them while they are offline. A message's
 * latency runs from alice's send() to the first delivery of its notification where the setup
 * counts them (the app server's provider, the pubsub service's provider, or the server's
 * pushService).
 * Run: npm run bench  [-- --users 1000 --messages 20000 --window 100 --preset reference --mam
 *                        --setup app-server | mongooseim-pubsub-full | mongooseim-pubsub-less]
 */
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";
import { PushClient } from "xmpp-push";
import { PRESETS, type Preset, type ServerModule } from "xmpp-push/sim";
import { flagArg, numberArg, stringArg } from "./args.js";
import { createSetup, SETUPS } from "./setups.js";
import { windowedRun } from "./windowed-run.js";

const USERS = numberArg("users", 1000);
const MESSAGES = numberArg("messages", 20_000);
const WINDOW = numberArg("window", 100);
const MAM = flagArg("mam");
const SETUP = oneOf("setup", stringArg("setup", "app-server"), SETUPS);
// MongooseIM's setups run under its preset unless --preset says otherwise.
const PRESET = oneOf("preset", stringArg("preset", SETUP === "app-server" ? "reference" : "mongooseim"), Object.keys(PRESETS) as Preset[]);
const DELIVERY_TIMEOUT = 120_000;

let archived = 0;
const archiveCounter: ServerModule = { name: "bench-archive-counter", load: (host) => host.hook("archive-message-added", () => void archived++) };

const users = Object.fromEntries(Array.from({ length: USERS }, (_, index) => [`user${index}`, "pw"]));
const { server, target, subscribe, deliveries } = createSetup(SETUP, {
  domain: "bench.test",
  users: { ...users, alice: "pw" },
  preset: PRESET,
  mam: MAM,
  modules: MAM ? [archiveCounter] : [],
});

const setupStart = performance.now();
for (let first = 0; first < USERS; first += 50) {
  await Promise.all(
    Array.from({ length: Math.min(50, USERS - first) }, async (_, offset) => {
      const xmpp = server.client({ username: `user${first + offset}`, password: "pw", resource: "phone" });
      await xmpp.start();
      await subscribe(new PushClient(xmpp, { reenable: false }), `token-${first + offset}`);
      await xmpp.stop();
    }),
  );
}
const setupSeconds = (performance.now() - setupStart) / 1000;

const alice = server.client({ username: "alice", password: "pw", resource: "bench" });
await alice.start();

const heapBefore = process.memoryUsage().heapUsed;
const cpuBefore = process.cpuUsage();
const { seconds, latencies, duplicates, percentile } = await windowedRun({
  sender: alice,
  deliveries,
  recipient: (sequence) => `user${sequence % USERS}@bench.test`,
  messages: MESSAGES,
  window: WINDOW,
  timeout: DELIVERY_TIMEOUT,
});
const cpu = process.cpuUsage(cpuBefore);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const stored = Array.from({ length: USERS }, (_, index) => server.offlineMessages(`user${index}`).length).reduce((a, b) => a + b, 0);

console.log(`xmpp-push chain benchmark — Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), one process, one thread`);
console.log(`server: preset ${PRESET}, MAM ${MAM ? "on" : "off"}; pushes to ${target}`);
console.log(`setup: ${USERS} users logged in, registered and enabled push via @xmpp/client + PushClient in ${setupSeconds.toFixed(1)} s`);
console.log(`workload: ${MESSAGES} messages from one sender to ${USERS} offline users, ${WINDOW} in flight`);
console.log(`deliveries:        ${latencies.length} (duplicates: ${duplicates}; offline messages stored: ${stored}${MAM ? `; archive entries added: ${archived}` : ""})`);
console.log(`throughput:        ${Math.round(latencies.length / seconds)} deliveries/s wall clock; ${Math.round(latencies.length / cpuSeconds)} deliveries per CPU-second (${((cpuSeconds / latencies.length) * 1e6).toFixed(0)} µs CPU each, the whole chain on one thread)`);
console.log(`latency send→delivery: p50 ${percentile(50).toFixed(2)} ms, p99 ${percentile(99).toFixed(2)} ms, max ${percentile(100).toFixed(2)} ms`);
console.log(`heap growth:       ${((process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024).toFixed(1)} MiB (offline store${MAM ? " and archive hold" : " holds"} every message)`);

await alice.stop();
await server.close();

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  console.error(`--${name} must be one of ${allowed.join(", ")}, not '${value}'`);
  process.exit(2);
}
