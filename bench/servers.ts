/**
 * The same push workload through the reference server, Prosody (mod_cloud_notify) and ejabberd
 * (mod_push) on this machine, in one run, in interleaved rounds (reference, Prosody, ejabberd,
 * reference, …) so that machine noise lands on every server alike. A round: M users turn push on
 * (real @xmpp/client + PushClient; WebSocket to the real servers), then N messages from one
 * sender while they are offline, W in flight. Each round uses fresh accounts (its own M users and
 * sender), so every offline store and archive it touches starts empty, on a freshly started
 * server (the reference: a new server object; --keep-running keeps the processes across rounds).
 * A message's latency runs from the sender's send() to the app server simulator accepting the
 * notification (linked with connectComponent to the real servers, attached
 * in-process to the reference server). The first and second half of each round are also measured
 * apart: their offline depths differ, so a cost that grows with the stored messages shows. The
 * reference server first runs an unreported warm-up round (JIT).
 * Cold start: spawn → every port listening (the reference server: construction).
 * Run: npx tsx bench/servers.ts [--users 20 --messages 6000 --window 50 --rounds 3 --keep-running]
 */
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { WebSocket } from "ws";
import { PushClient } from "../src/index.js";
import { createAppServer } from "../src/sim/index.js";
import { ServerFleet } from "../test/interop/runner/fleet.js";
import { DOMAIN, PUSH_JID } from "../test/interop/shared.js";
import { flagArg, numberArg } from "./args.js";
import { ownCpuMs } from "./process-usage.js";
import { realTarget, referenceTarget, type Target } from "./server-targets.js";
import { type Round, report } from "./servers-report.js";
import { recordedDeliveries, windowedRun } from "./windowed-run.js";

(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

const USERS = numberArg("users", 20);
// 300 stored per user by the end: the halves' depths differ twofold, and 3 rounds of each server stay within a few minutes here.
const MESSAGES = numberArg("messages", 6_000);
const WINDOW = numberArg("window", 50);
const ROUNDS = numberArg("rounds", 3);
// Prosody's cost per message grows with what the process has handled since it started, whatever the accounts: a fresh
// process per round keeps the rounds alike; --keep-running shows that growth instead.
const KEEP_RUNNING = flagArg("keep-running");
const DELIVERY_TIMEOUT = 120_000;
/** The reference server's unreported first round, so that its measured rounds run JIT-compiled code like the real servers' native and BEAM code. */
const WARMUP_MESSAGES = Math.min(MESSAGES, 2_000);

/** A round's accounts (the warm-up's: round -1): its recipients and its sender. */
function accounts(round: number): { users: string[]; sender: string } {
  const prefix = round < 0 ? "warmup" : `r${round}`;
  return { users: Array.from({ length: USERS }, (_, index) => `${prefix}user${index}`), sender: `${prefix}alice` };
}
const everyone = (rounds: number[]): string[] => rounds.map(accounts).flatMap(({ users, sender }) => [...users, sender]);
const measured = Array.from({ length: ROUNDS }, (_, round) => round);

interface Reading {
  at: number;
  server: number;
  own: number;
}

async function measure(target: Target, round: number, messages = MESSAGES): Promise<Round> {
  const halfway = Math.floor(messages / 2);
  const { users, sender } = accounts(round);
  const appServer = createAppServer({ jid: PUSH_JID });
  const unlink = await target.link(appServer);
  for (let first = 0; first < users.length; first += 10) {
    await Promise.all(
      users.slice(first, first + 10).map(async (username) => {
        const xmpp = target.client(username);
        await xmpp.start();
        await new PushClient(xmpp, { reenable: false }).subscribe({ appServer: PUSH_JID, provider: "fcm", token: `token-${username}` });
        await xmpp.stop();
      }),
    );
  }
  const alice = target.client(sender);
  await alice.start();

  const serverCpu = await target.serverCpu();
  const read = (): Reading => ({ at: performance.now(), server: serverCpu(), own: ownCpuMs() });
  const readings: Reading[] = [read()];
  const run = await windowedRun({
    sender: alice,
    deliveries: recordedDeliveries(appServer),
    recipient: (sequence) => `${users[sequence % USERS]}@${DOMAIN}`,
    messages,
    window: WINDOW,
    timeout: DELIVERY_TIMEOUT,
    progress: (delivered) => {
      if (delivered === halfway || delivered === messages) readings.push(read());
    },
  }).catch((error: unknown) => {
    throw new Error(`${target.name}: ${(error as Error).message}`);
  });
  await alice.stop();
  await unlink();
  const depths = await target.offlineDepth(users);

  const [start, half, end] = readings as [Reading, Reading, Reading];
  const phase = (from: Reading, to: Reading, messages: number) => ({
    perSecond: messages / ((to.at - from.at) / 1000),
    serverCpuPerMessage: (to.server - from.server) / messages,
    ownCpuPerMessage: (to.own - from.own) / messages,
  });
  return {
    target: target.name,
    round,
    whole: phase(start, end, messages),
    halves: [phase(start, half, halfway), phase(half, end, messages - halfway)],
    p50: run.percentile(50),
    p99: run.percentile(99),
    depths,
    memoryMiB: await target.memoryMiB(),
  };
}

// Each account costs a prosodyctl and an ejabberdctl run (an Erlang VM boot): the real servers get only the measured rounds'.
const setupStart = performance.now();
const fleet = await ServerFleet.create({ users: everyone(measured), withBody: true, logLevel: "info" });
let exitCode = 0;
try {
  await fleet.start();
  const setupSeconds = (performance.now() - setupStart) / 1000;
  const targets = [referenceTarget(everyone([-1, ...measured])), realTarget(fleet, "prosody", "Prosody"), realTarget(fleet, "ejabberd", "ejabberd")];
  console.log(`xmpp-push servers benchmark — Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), load average ${loadavg()[0]!.toFixed(2)} at the start`);
  for (const version of fleet.versions()) console.log(`  ${version}`);
  console.log(`  ${everyone(measured).length} accounts registered on each and both started in ${setupSeconds.toFixed(0)} s`);
  console.log(
    `workload per round: ${USERS} fresh users with push enabled, ${MESSAGES} messages from a fresh sender while they are offline (${MESSAGES / USERS} per user), ${WINDOW} in flight; ${ROUNDS} rounds per server, interleaved, after an unreported warm-up of the reference (${WARMUP_MESSAGES} messages); ${KEEP_RUNNING ? "the same server processes throughout" : "a fresh server (process) for each round"}\n`,
  );
  await measure(targets[0]!, -1, WARMUP_MESSAGES);
  const rounds: Round[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const target of targets) {
      if (!KEEP_RUNNING) await target.restart();
      const result = await measure(target, round);
      rounds.push(result);
      const cpu = target.cpuIsThisProcess ? "bench process" : "server";
      console.log(
        `round ${round + 1} ${target.name.padEnd(9)} ${Math.round(result.whole.perSecond)} deliveries/s (halves ${Math.round(result.halves[0].perSecond)}, ${Math.round(result.halves[1].perSecond)}); ${cpu} CPU ${result.whole.serverCpuPerMessage.toFixed(3)} ms/message (halves ${result.halves[0].serverCpuPerMessage.toFixed(3)}, ${result.halves[1].serverCpuPerMessage.toFixed(3)}); stored per user at the end ${Math.min(...result.depths)}–${Math.max(...result.depths)}; ${cpu} RSS ${Math.round(result.memoryMiB)} MiB`,
      );
    }
  }
  console.log(`load average ${loadavg()[0]!.toFixed(2)} at the end\n`);
  console.log(report(targets, rounds, { half: Math.floor(MESSAGES / 2), messages: MESSAGES, users: USERS }));
} catch (error) {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 1;
} finally {
  await fleet.stop();
  if (exitCode === 0) await fleet.removeDirectories();
}
process.exit(exitCode);
