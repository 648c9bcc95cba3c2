/**
 * The same push workload through the reference server, Prosody (mod_cloud_notify) and ejabberd
 * (mod_push) on this machine, in one run: M users with push enabled (real @xmpp/client +
 * PushClient; WebSocket to the real servers), then N messages from one sender while they are
 * offline, W in flight. A message's latency runs from alice's send() to the app server simulator
 * accepting the notification (linked with connectComponent to the real servers, attached
 * in-process to the reference server). Cold start: spawn → every port listening (the reference
 * server: construction). The servers put the real body into the summary so that a delivery
 * names its message.
 * Run: npx tsx bench/servers.ts [--users 20 --messages 2000 --window 50]
 */
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";
import { type Client, client as createClient } from "@xmpp/client";
import { WebSocket } from "ws";
import { PushClient } from "../src/index.js";
import { connectComponent } from "../src/node/index.js";
import { type AppServer, createAppServer, createXmppServer } from "../src/sim/index.js";
import { ServerFleet } from "../test/interop/runner/fleet.js";
import { DOMAIN, PASSWORD, PUSH_JID, type RealServerName } from "../test/interop/shared.js";
import { plainLogin } from "../test/interop/support/login.js";
import { numberArg } from "./args.js";
import { recordedDeliveries, windowedRun } from "./windowed-run.js";
import { asClient } from "../test/helpers/real-client.js";

(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

const USERS = numberArg("users", 20);
// Enough messages that start-up and JIT warm-up do not dominate (2,000 gave the reference ~3.9k/s, 10,000 ~11k/s).
const MESSAGES = numberArg("messages", 10_000);
const WINDOW = numberArg("window", 50);
const DELIVERY_TIMEOUT = 120_000;
const usernames = Array.from({ length: USERS }, (_, index) => `user${index}`);

interface Target {
  name: string;
  coldStartMs: number;
  client(username: string): Client;
  /** Puts the app server behind PUSH_JID; resolves with how to take it away. */
  link(appServer: AppServer): Promise<() => Promise<void>>;
}

interface Result {
  name: string;
  coldStartMs: number;
  perSecond: number;
  p50: number;
  p99: number;
}

async function measure(target: Target): Promise<Result> {
  const appServer = createAppServer({ jid: PUSH_JID });
  const unlink = await target.link(appServer);
  for (let first = 0; first < USERS; first += 10) {
    await Promise.all(
      usernames.slice(first, first + 10).map(async (username) => {
        const xmpp = target.client(username);
        await xmpp.start();
        await new PushClient(xmpp, { reenable: false }).subscribe({ appServer: PUSH_JID, provider: "fcm", token: `token-${username}` });
        await xmpp.stop();
      }),
    );
  }
  const alice = target.client("alice");
  await alice.start();

  const run = await windowedRun({
    sender: alice,
    deliveries: recordedDeliveries(appServer),
    recipient: (sequence) => `${usernames[sequence % USERS]}@${DOMAIN}`,
    messages: MESSAGES,
    window: WINDOW,
    timeout: DELIVERY_TIMEOUT,
  }).catch((error: unknown) => {
    throw new Error(`${target.name}: ${(error as Error).message}`);
  });
  await alice.stop();
  await unlink();

  return { name: target.name, coldStartMs: target.coldStartMs, perSecond: MESSAGES / run.seconds, p50: run.percentile(50), p99: run.percentile(99) };
}

function referenceTarget(): Target {
  const begin = performance.now();
  const server = createXmppServer({
    domain: DOMAIN,
    users: Object.fromEntries([...usernames, "alice"].map((username) => [username, PASSWORD])),
    push: { includeBody: true },
  });
  const coldStartMs = performance.now() - begin;
  return {
    name: "reference",
    coldStartMs,
    client: (username) => asClient(server.client({ username, password: PASSWORD, resource: "bench" })),
    async link(appServer) {
      const detach = server.attach(appServer);
      return async () => detach();
    },
  };
}

function realTarget(fleet: ServerFleet, name: RealServerName, label: string): Target {
  const { info } = fleet.get(name);
  return {
    name: label,
    coldStartMs: fleet.coldStart.get(name) ?? Number.NaN,
    client: (username) => createClient({ service: info.websocket, domain: DOMAIN, resource: "bench", credentials: plainLogin(username) }),
    async link(appServer) {
      const link = connectComponent(appServer, { service: info.component, domain: PUSH_JID, password: info.componentSecret, connectTimeout: 10_000 });
      link.on("error", (error) => console.error(`${label} link: ${error.message}`));
      await link.ready;
      return () => link.close();
    },
  };
}

function table(results: Result[]): string {
  const reference = results[0]!;
  const ratio = (value: number, base: number): string => (base > 0 ? `${(value / base).toFixed(2)}×` : "–");
  const rows: [string, (result: Result) => string][] = [
    ["cold start (spawn → listening, fresh data dir)", (result) => `${result.coldStartMs.toFixed(result.coldStartMs < 10 ? 2 : 0)} ms`],
    ["deliveries/s", (result) => `${Math.round(result.perSecond)} (${ratio(result.perSecond, reference.perSecond)})`],
    ["latency p50", (result) => `${result.p50.toFixed(2)} ms (${ratio(result.p50, reference.p50)})`],
    ["latency p99", (result) => `${result.p99.toFixed(2)} ms (${ratio(result.p99, reference.p99)})`],
  ];
  const header = ["", ...results.map((result) => result.name)];
  const lines = rows.map(([label, cell]) => [label, ...results.map(cell)]);
  const widths = header.map((_, column) => Math.max(...[header, ...lines].map((line) => (line[column] ?? "").length)));
  const format = (cells: string[]): string => cells.map((cell, column) => cell.padEnd(widths[column]!)).join(" | ");
  return [format(header), widths.map((width) => "-".repeat(width)).join("-+-"), ...lines.map(format)].join("\n");
}

const fleet = await ServerFleet.create({ users: [...usernames, "alice"], withBody: true, logLevel: "info" });
let exitCode = 0;
try {
  await fleet.start();
  const results: Result[] = [];
  results.push(await measure(referenceTarget()));
  results.push(await measure(realTarget(fleet, "prosody", "Prosody")));
  results.push(await measure(realTarget(fleet, "ejabberd", "ejabberd")));
  console.log(`xmpp-push servers benchmark — Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? "?"})`);
  for (const version of fleet.versions()) console.log(`  ${version}`);
  console.log(`workload: ${USERS} users with push enabled, ${MESSAGES} messages from one sender while they are offline, ${WINDOW} in flight; ratios against the reference server\n`);
  console.log(table(results));
} catch (error) {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 1;
} finally {
  await fleet.stop();
  if (exitCode === 0) await fleet.removeDirectories();
}
process.exit(exitCode);
