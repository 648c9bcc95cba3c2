/**
 * Throughput and latency of the in-memory chain: 1,000 users with push enabled (each through a
 * real @xmpp/client + PushClient), then messages to them while they are offline. A message's
 * latency runs from alice's send() to the first delivery of its notification where the setup
 * counts them (the app server's provider, the pubsub service's provider, or the server's
 * pushService).
 * Run: npm run bench  [-- --users 1000 --messages 20000 --window 100 --preset reference --mam
 *                        --setup app-server | mongooseim-pubsub-full | mongooseim-pubsub-less
 *                        --dialect mod-push | p2 | v1 | tigase  --v1-rate-limit 0  --encrypt
 *                        --muc-fanout 10,100,1000 --muc-messages 3  --push2]
 */
import { cpus } from "node:os";
import type { ServerModule } from "xmpp-push/sim";
import { runEncryptBench } from "./encrypt-run.js";
import { runMucFanout } from "./muc-fanout.js";
import { runPush2Bench } from "./push2-run.js";
import { BenchUsageError, type ChainBenchOptions, parseChainBenchOptions } from "./options.js";
import { createSetup } from "./setups.js";
import { subscribeUsers, usernames } from "./subscribe-users.js";
import { windowedRun } from "./windowed-run.js";

const DELIVERY_TIMEOUT = 120_000;

let options: ChainBenchOptions;
try {
  options = parseChainBenchOptions(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof BenchUsageError)) throw error;
  console.error(error.message);
  process.exit(2);
}

console.log(`xmpp-push chain benchmark — Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), one process, one thread`);
if (options.push2) await runPush2Bench(options);
else if (options.mucFanout) await runMucFanout(options.mucFanout, options.mucMessages);
else if (options.encrypt) await runEncryptBench(options);
else await runChain(options);

async function runChain({ users: USERS, messages: MESSAGES, window: WINDOW, mam: MAM, setup: SETUP, preset: PRESET, dialect, v1RateLimit }: ChainBenchOptions): Promise<void> {
  let archived = 0;
  const archiveCounter: ServerModule = { name: "bench-archive-counter", load: (host) => host.hook("archive-message-added", () => void archived++) };

  const names = usernames("user", USERS);
  const { server, target, subscribe, deliveries, appServer } = createSetup(SETUP, {
    domain: "bench.test",
    users: Object.fromEntries([...names, "alice"].map((name) => [name, "pw"])),
    preset: PRESET,
    mam: MAM,
    modules: MAM ? [archiveCounter] : [],
    dialect,
    ...(dialect === "v1" ? { v1RateLimit } : {}),
  });
  const refused = new Map<string, number>();
  appServer?.on("rejected", ({ condition }) => {
    refused.set(condition, (refused.get(condition) ?? 0) + 1);
    // Said at once: a refused message is never delivered, so the run cannot end before its timeout.
    if (refused.get(condition) === 1) console.log(`the app server refused a publish (${condition}${dialect === "v1" ? `: v1's throttle, v1RateLimit ${v1RateLimit} ms` : ""}); that message will not be delivered`);
  });

  const { seconds: setupSeconds, registrations } = await subscribeUsers(server, names, (push, username) => subscribe(push, `token-${username}`));

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
  const stored = names.map((name) => server.offlineMessages(name).length).reduce((a, b) => a + b, 0);

  console.log(`server: preset ${PRESET}, MAM ${MAM ? "on" : "off"}; pushes to ${target}`);
  if (dialect === "v1") {
    // v1's node is the device id: one node per simulated device, each getting messages/users pushes.
    const gap = (USERS / (latencies.length / seconds)) * 1000;
    console.log(
      `v1 throttle:       v1RateLimit ${v1RateLimit} ms per node (mod_push_appserver's default: 5 000 ms), set explicitly; ${USERS} nodes (one per device), ` +
        `${Math.round(MESSAGES / USERS)} pushes each, about ${gap.toFixed(0)} ms apart${v1RateLimit >= gap ? " — THROTTLED: the run measures the rate limit" : ""}`,
    );
  }
  const registered = [...new Set([...registrations.values()].map((registration) => registration.dialect ?? "?"))].join(", ");
  console.log(`setup: ${USERS} users logged in, registered (SDK dialect: ${registered}) and enabled push via @xmpp/client + PushClient in ${setupSeconds.toFixed(1)} s`);
  console.log(`workload: ${MESSAGES} messages from one sender to ${USERS} offline users, ${WINDOW} in flight`);
  console.log(`deliveries:        ${latencies.length} (duplicates: ${duplicates}; offline messages stored: ${stored}${MAM ? `; archive entries added: ${archived}` : ""})`);
  if (refused.size > 0) console.log(`refused publishes: ${[...refused].map(([condition, count]) => `${count} ${condition}`).join(", ")}`);
  console.log(
    `throughput:        ${Math.round(latencies.length / seconds)} deliveries/s wall clock; ${Math.round(latencies.length / cpuSeconds)} deliveries per CPU-second (${((cpuSeconds / latencies.length) * 1e6).toFixed(0)} µs CPU each, the whole chain on one thread)`,
  );
  console.log(`latency send→delivery: p50 ${percentile(50).toFixed(2)} ms, p99 ${percentile(99).toFixed(2)} ms, max ${percentile(100).toFixed(2)} ms`);
  console.log(`heap growth:       ${((process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024).toFixed(1)} MiB (offline store${MAM ? " and archive hold" : " holds"} every message)`);

  await alice.stop();
  await server.close();
}
