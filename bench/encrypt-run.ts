import { performance } from "node:perf_hooks";
import { decryptNotification, type Registration } from "xmpp-push";
import type { Delivery } from "xmpp-push/sim";
import { matchByRecipient, type OwnerDeliverySource } from "./match-by-recipient.js";
import type { ChainBenchOptions } from "./options.js";
import { createSetup } from "./setups.js";
import { subscribeUsers, usernames } from "./subscribe-users.js";
import { recordedDeliveries, type WindowedRunOptions, windowedRun } from "./windowed-run.js";

const DOMAIN = "bench.test";
const DELIVERY_TIMEOUT = 120_000;
/** Encrypted deliveries kept for the decryption timing and the check that they decrypt right. */
const SAMPLE = 1000;
/** Calls of the timed crypto loops. */
const CRYPTO_CALLS = 5000;
/** Off/on pairs of phases: alternating often, so the other load of a shared machine falls on both. */
const ROUNDS = 4;
/** A first off/on pair that warms the JIT up and is not counted. */
const WARMUP_ROUNDS = 1;

interface Sampled {
  delivery: Delivery;
  body: string | undefined;
}

interface Phase {
  encrypt: boolean;
  seconds: number;
  cpuSeconds: number;
  latencies: number[];
}

/**
 * `--encrypt`: Tigase's dialect and preset, half the users with encrypted pushes and half
 * without, loaded in alternating phases (off, on, off, on) in one process, so the ratio and the
 * difference come from the same run. The cost per push is the CPU difference per delivery (the
 * whole chain: JSON payload, AES-GCM, the larger stanza), next to the Web Crypto step alone.
 */
export async function runEncryptBench(options: ChainBenchOptions): Promise<void> {
  const { users, messages, window, preset } = options;
  const plain = usernames("plain", users);
  const sealed = usernames("sealed", users);
  const setup = createSetup("app-server", {
    domain: DOMAIN,
    users: Object.fromEntries([...plain, ...sealed, "alice"].map((name) => [name, "pw"])),
    preset,
    mam: false,
    modules: [],
    dialect: "tigase",
  });
  const { server, appServer } = setup;
  if (!appServer) throw new Error("the app-server setup has an app server");
  const off = await subscribeUsers(server, plain, (push, name) => setup.subscribe(push, `token-${name}`, false));
  const on = await subscribeUsers(server, sealed, (push, name) => setup.subscribe(push, `token-${name}`, true));

  /** Encrypted deliveries with the body each was matched to. */
  const sample: Sampled[] = [];
  const owners: OwnerDeliverySource = (listener) => {
    const onDelivered = (delivery: Delivery): void => {
      appServer.deliveries.splice(0);
      if (!delivery.encrypted) return;
      const body = listener(delivery.owner);
      if (sample.length < SAMPLE) sample.push({ delivery, body });
    };
    appServer.on("delivered", onDelivered);
    return () => appServer.off("delivered", onDelivered);
  };

  const alice = server.client({ username: "alice", password: "pw", resource: "bench" });
  await alice.start();
  const perPhase = Math.max(1, Math.round(messages / ROUNDS));
  const phases: Phase[] = [];
  for (let index = 0; index < (WARMUP_ROUNDS + ROUNDS) * 2; index++) {
    const encrypt = index % 2 === 1;
    const names = encrypt ? sealed : plain;
    const recipient = (sequence: number): string => `${names[sequence % users]}@${DOMAIN}`;
    const route: Pick<WindowedRunOptions, "sender" | "deliveries"> = encrypt
      ? matchByRecipient(alice, owners)
      : { sender: alice, deliveries: recordedDeliveries(appServer) };
    const cpuBefore = process.cpuUsage();
    const run = await windowedRun({ ...route, recipient, messages: perPhase, window, timeout: DELIVERY_TIMEOUT });
    const cpu = process.cpuUsage(cpuBefore);
    if (index >= WARMUP_ROUNDS * 2) phases.push({ encrypt, seconds: run.seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, latencies: run.latencies });
  }
  await alice.stop();

  const verified = await verify(sample, on.registrations);
  const deliveries = sample.map(({ delivery }) => delivery);
  const decryptMicros = await timeDecrypt(deliveries, on.registrations);
  const encryptMicros = await timeEncrypt(deliveries, on.registrations);

  console.log(`server: preset ${preset}; pushes to ${setup.target}`);
  console.log(`setup: ${users} users without encryption in ${off.seconds.toFixed(1)} s, ${users} with tigase: { encrypt: true } in ${on.seconds.toFixed(1)} s (each a real @xmpp/client + PushClient)`);
  console.log(`workload: ${ROUNDS * 2} phases of ${perPhase} messages (off, on, off, on, …) after an uncounted warm-up pair, one sender, ${window} in flight; encrypted pushes matched to their message per recipient, in order`);
  const summary = (encrypt: boolean) => summarize(phases.filter((phase) => phase.encrypt === encrypt));
  const [plainSummary, sealedSummary] = [summary(false), summary(true)];
  for (const [label, figures] of [["encryption off", plainSummary], ["encryption on ", sealedSummary]] as const) {
    console.log(
      `${label}:    ${Math.round(figures.rate)} deliveries/s wall clock, ${figures.cpuMicros.toFixed(0)} µs CPU each; latency p50 ${figures.p50.toFixed(2)} ms, p99 ${figures.p99.toFixed(2)} ms (phases: ${figures.rates.map(Math.round).join(", ")}/s)`,
    );
  }
  console.log(
    `ratio on/off:      ${(sealedSummary.rate / plainSummary.rate).toFixed(2)} of the deliveries/s wall clock; ${(plainSummary.cpuMicros / sealedSummary.cpuMicros).toFixed(2)} of the deliveries per CPU-second`,
  );
  console.log(`encryption cost:   ${(sealedSummary.cpuMicros - plainSummary.cpuMicros).toFixed(0)} µs CPU per push (CPU per delivery, on minus off, same run: payload JSON + AES-GCM + the stanza)`);
  console.log(`  Web Crypto alone: ${encryptMicros.wall.toFixed(1)} µs wall, ${encryptMicros.cpu.toFixed(1)} µs CPU per AES-128-GCM encrypt of a run's plaintext (${CRYPTO_CALLS} one after another, key imported once)`);
  console.log(`decryptNotification: ${decryptMicros.wall.toFixed(1)} µs wall, ${decryptMicros.cpu.toFixed(1)} µs CPU per payload (${CRYPTO_CALLS} calls one after another on ${sample.length} payloads of the run); ${verified}/${sample.length} decrypted to the very message they were matched to`);
  await server.close();
}

function summarize(phases: Phase[]) {
  const deliveries = phases.reduce((sum, phase) => sum + phase.latencies.length, 0);
  const seconds = phases.reduce((sum, phase) => sum + phase.seconds, 0);
  const cpuSeconds = phases.reduce((sum, phase) => sum + phase.cpuSeconds, 0);
  const latencies = phases.flatMap((phase) => phase.latencies).sort((a, b) => a - b);
  const at = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? Number.NaN;
  return {
    rate: deliveries / seconds,
    rates: phases.map((phase) => phase.latencies.length / phase.seconds),
    cpuMicros: (cpuSeconds / deliveries) * 1e6,
    p50: at(50),
    p99: at(99),
  };
}

/** How many sampled deliveries decrypt, with the owner's key, to the body they were matched to (the latencies are right). */
async function verify(sample: readonly Sampled[], registrations: Map<string, Registration>): Promise<number> {
  let good = 0;
  for (const { delivery, body } of sample) {
    const notification = await decryptNotification(registrations.get(delivery.owner.split("@")[0]!)!, delivery.encrypted!);
    if (notification.message === body) good++;
  }
  return good;
}

interface Micros {
  wall: number;
  cpu: number;
}

/** `CRYPTO_CALLS` awaited calls of `call`, one after another: µs of wall clock and of CPU (all threads: Web Crypto runs off the main one) each. */
async function timeCalls(call: (index: number) => Promise<unknown>): Promise<Micros> {
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  for (let index = 0; index < CRYPTO_CALLS; index++) await call(index);
  const wall = ((performance.now() - start) / CRYPTO_CALLS) * 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return { wall, cpu: (cpu.user + cpu.system) / CRYPTO_CALLS };
}

async function timeDecrypt(sample: readonly Delivery[], registrations: Map<string, Registration>): Promise<Micros> {
  if (sample.length === 0) return { wall: Number.NaN, cpu: Number.NaN };
  const keyed = sample.map((delivery) => [registrations.get(delivery.owner.split("@")[0]!)!, delivery.encrypted!] as const);
  return timeCalls((index) => {
    const [registration, encrypted] = keyed[index % keyed.length]!;
    return decryptNotification(registration, encrypted);
  });
}

/** AES-128-GCM through Web Crypto on the plaintext of one delivery of the run, fresh IV each time. */
async function timeEncrypt(sample: readonly Delivery[], registrations: Map<string, Registration>): Promise<Micros> {
  const first = sample[0];
  if (!first) return { wall: Number.NaN, cpu: Number.NaN };
  const registration = registrations.get(first.owner.split("@")[0]!)!;
  const plaintext = new TextEncoder().encode(JSON.stringify(await decryptNotification(registration, first.encrypted!)));
  const raw = Uint8Array.from(atob(registration.tigase!.encryptionKey!), (char) => char.charCodeAt(0));
  const key = await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt"]);
  return timeCalls(() => crypto.subtle.encrypt({ name: "AES-GCM", iv: crypto.getRandomValues(new Uint8Array(12)), tagLength: 128 }, key, plaintext));
}
