/**
 * Throughput and latency of the in-memory chain: 1,000 users with push enabled (each through a
 * real @xmpp/client + PushClient), then messages to them while they are offline. A message's
 * latency runs from alice's send() to the first delivery of its notification where the setup
 * counts them (the app server's provider, the pubsub service's provider, or the server's
 * pushService).
 * Each size runs `--rounds` times (3), each round on a fresh setup and followed by the XML floor
 * for the same messages (bench/floor.ts): the figure is floor / chain, min / median / max. An
 * unreported warm-up round comes first (no forced collections: a forced full GC makes V8 compile
 * the hot code again, which cost a 2,000-message round twice its work).
 * Without --users and --messages it runs at three sizes (100 × 10,000, 1,000 × 20,000, 2,000 × 60,000).
 * Run: npm run bench  [-- --users 1000 --messages 20000 --rounds 3 --window 100 --preset reference --mam
 *                        --setup app-server | mongooseim-pubsub-full | mongooseim-pubsub-less
 *                        --dialect mod-push | p2 | v1 | tigase  --v1-rate-limit 0  --encrypt
 *                        --muc-fanout 10,100,1000 --muc-messages 3  --push2]
 */
import { cpus } from "node:os";
import { jid } from "@xmpp/client";
import type { ServerModule } from "xmpp-push/sim";
import { runEncryptBench } from "./encrypt-run.js";
import { runMucFanout } from "./muc-fanout.js";
import { runPush2Bench } from "./push2-run.js";
import { createXmlFloor, type FloorTarget } from "./floor.js";
import { BenchUsageError, type ChainBenchOptions, type ChainSize, parseChainBenchOptions } from "./options.js";
import { createSetup } from "./setups.js";
import { formatSpread } from "./spread.js";
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

interface ChainRound {
  cpuMicros: number;
  perSecond: number;
  p50: number;
  p99: number;
  heapMiB: number;
  duplicates: number;
  stored: number;
  archived: number;
  refused: Map<string, number>;
  setupSeconds: number;
  dialects: string;
  target: string;
  targets: FloorTarget[];
}

/** One chain run on a fresh setup: every user subscribes and goes offline, then alice writes. */
async function chainRound(options: ChainBenchOptions, { users: USERS, messages: MESSAGES }: ChainSize): Promise<ChainRound> {
  const { window: WINDOW, mam: MAM, setup: SETUP, preset: PRESET, dialect, v1RateLimit } = options;
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
  const heapMiB = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
  const stored = names.map((name) => server.offlineMessages(name).length).reduce((a, b) => a + b, 0);
  const targets = names.map((name) => {
    const registration = registrations.get(name);
    return { node: registration?.node ?? "node", secret: registration?.secret ?? "secret" };
  });

  await alice.stop();
  await server.close();
  return {
    cpuMicros: (cpu.user + cpu.system) / latencies.length,
    perSecond: latencies.length / seconds,
    p50: percentile(50),
    p99: percentile(99),
    heapMiB,
    duplicates,
    stored,
    archived,
    refused,
    setupSeconds,
    dialects: [...new Set([...registrations.values()].map((registration) => registration.dialect ?? "?"))].join(", "),
    target,
    targets,
  };
}

/**
 * CPU µs per message that the sending @xmpp/client spends parsing addresses: its OutgoingContext
 * runs `from` and `to` of every stanza through @xmpp/jid, whose escaping check (ten replaceAll
 * calls per localpart) was the chain's largest single cost. Measured alone on the same addresses,
 * to report it apart: it is upstream code, not ours to change.
 */
function senderJidRound({ users, messages }: ChainSize): number {
  const cpuBefore = process.cpuUsage();
  for (let sequence = 0; sequence < messages; sequence++) {
    jid("alice@bench.test/bench");
    jid(`user${sequence % users}@bench.test`);
  }
  const cpu = process.cpuUsage(cpuBefore);
  return (cpu.user + cpu.system) / messages;
}

/** CPU µs per message of the XML floor for the same messages the chain just carried. */
function floorRound({ users, messages }: ChainSize, targets: readonly FloorTarget[]): number {
  const floor = createXmlFloor("alice@bench.test/bench", "push.bench.test");
  const cpuBefore = process.cpuUsage();
  for (let sequence = 0; sequence < messages; sequence++) {
    const user = sequence % users;
    floor({ to: `user${user}@bench.test`, body: String(sequence), messageCount: Math.floor(sequence / users) + 1 }, targets[user]!);
  }
  const cpu = process.cpuUsage(cpuBefore);
  return (cpu.user + cpu.system) / messages;
}

async function runChain(options: ChainBenchOptions): Promise<void> {
  const { window: WINDOW, mam: MAM, preset: PRESET, dialect, v1RateLimit, rounds: ROUNDS } = options;
  console.log(`each size: ${ROUNDS} rounds, each a fresh setup; the XML floor (build, serialize and parse the message and the publish, read node and secret, build the reply) runs on the same messages right after each chain round`);
  // Unreported, and long enough for V8 to finish optimizing both (its compiler threads count in
  // process.cpuUsage): otherwise the first size pays for compiling the chain and the floor.
  const warmUp = { users: Math.min(100, options.sizes[0]!.users), messages: 10_000 };
  const { targets } = await chainRound(options, warmUp);
  floorRound({ ...warmUp, messages: 20_000 }, targets);
  const rows: string[] = [];
  for (const size of options.sizes) {
    const chain: ChainRound[] = [];
    const floor: number[] = [];
    const sender: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const result = await chainRound(options, size);
      chain.push(result);
      floor.push(floorRound(size, result.targets));
      sender.push(senderJidRound(size));
    }
    const first = chain[0]!;
    if (rows.length === 0) {
      console.log(`server: preset ${PRESET}, MAM ${MAM ? "on" : "off"}; pushes to ${first.target}`);
      console.log(`setup: users log in, register (SDK dialect: ${first.dialects}) and enable push via @xmpp/client + PushClient, then go offline`);
      if (dialect === "v1") {
        // v1's node is the device id: one node per simulated device, each getting messages/users pushes.
        const gap = (size.users / first.perSecond) * 1000;
        console.log(`v1 throttle: v1RateLimit ${v1RateLimit} ms per node (mod_push_appserver's default: 5 000 ms), set explicitly${v1RateLimit >= gap ? " — THROTTLED: the run measures the rate limit" : ""}`);
      }
    }
    const ratios = chain.map((result, index) => floor[index]! / result.cpuMicros);
    const duplicates = chain.reduce((sum, result) => sum + result.duplicates, 0);
    const refused = chain.flatMap((result) => [...result.refused].map(([condition, count]) => `${count} ${condition}`));
    console.log(
      `\n${size.users} users × ${size.messages} messages, ${WINDOW} in flight (setup ${spread(chain.map((result) => result.setupSeconds), 1)} s; stored offline per round: ${first.stored}${MAM ? `; archived: ${first.archived}` : ""}; duplicates: ${duplicates}${refused.length > 0 ? `; refused: ${refused.join(", ")}` : ""})`,
    );
    console.log(`  chain:  ${spread(chain.map((result) => result.cpuMicros), 1)} µs CPU per delivery (min / median / max), ${spread(chain.map((result) => result.perSecond), 0)} deliveries/s wall clock`);
    console.log(`  floor:  ${spread(floor, 1)} µs CPU per message`);
    console.log(`  floor / chain: ${spread(ratios, 2)}`);
    const withoutSender = chain.map((result, index) => floor[index]! / (result.cpuMicros - sender[index]!));
    console.log(`  of the chain, @xmpp/client's address parsing on send (@xmpp/jid, upstream): ${spread(sender, 1)} µs; floor / chain without it: ${spread(withoutSender, 2)}`);
    console.log(`  latency send→delivery p50 ${spread(chain.map((result) => result.p50), 2)} ms, p99 ${spread(chain.map((result) => result.p99), 2)} ms; heap growth ${spread(chain.map((result) => result.heapMiB), 1)} MiB (the offline store holds every message)`);
    rows.push(`| ${size.users} × ${size.messages} | ${spread(chain.map((result) => result.cpuMicros), 0)} | ${spread(floor, 0)} | ${spread(ratios, 2)} | ${spread(sender, 1)} | ${spread(withoutSender, 2)} |`);
  }
  console.log("\n| users × messages | chain µs CPU per delivery | floor µs | floor / chain | @xmpp/jid on send µs | floor / chain without it |");
  console.log("| --- | --- | --- | --- | --- | --- |");
  for (const row of rows) console.log(row);
}

/** "min / median / max" of a few figures (one figure alone as itself). */
function spread(values: readonly number[], digits: number): string {
  return values.length === 1 ? values[0]!.toFixed(digits) : formatSpread(values, (value) => value.toFixed(digits));
}
