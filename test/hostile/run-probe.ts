import type { Probe, ProbeContext } from "./probes.js";
import { login } from "./stream.js";
import type { HostileTarget } from "./target.js";
import { openWire, type Transport, type Wire } from "./wire.js";

/** One probe's outcome on one target and transport. */
export interface ProbeOutcome {
  /** What the server answered, in one line (see answerOf). */
  answer: string;
  /** How much the server's resident memory grew at most while the probe ran, MiB (when it can be read). */
  rssGrowthMiB: number | undefined;
  /** The server process still ran afterwards. */
  alive: boolean;
  /** Afterwards a normal client logged in and received a message. */
  serving: boolean;
  durationMs: number;
}

const RSS_SAMPLE_MS = 10;

/**
 * Runs `probe` over `transport`, then checks that the server lives on and still serves. A probe
 * still running after `target.probeTimeout` answers `no answer within N s`, and its connections
 * are cut.
 */
export async function runProbe(target: HostileTarget, probe: Probe, transport: Transport): Promise<ProbeOutcome> {
  const wires: Wire[] = [];
  const service = target.service(transport);
  if (!service) throw new Error(`${target.name} has no ${transport} listener`);
  let over = false;
  const open = async (): Promise<Wire> => {
    const wire = await openWire(transport, service);
    wires.push(wire);
    // A probe that outlived its timeout runs on unwatched: nothing it opens may stay open.
    if (over) wire.destroy();
    return wire;
  };
  const context: ProbeContext = {
    target,
    transport,
    open,
    async loggedIn(index, resource) {
      const wire = await open();
      const jid = await login(wire, target.domain, target.users[index], target.password, resource);
      return { wire, jid };
    },
  };

  const baseline = target.rss();
  let peak = baseline;
  const sampler = setInterval(() => {
    const rss = target.rss();
    if (rss !== undefined && (peak === undefined || rss > peak)) peak = rss;
  }, RSS_SAMPLE_MS);
  const started = Date.now();
  let deadline: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<string>((resolve) => {
    deadline = setTimeout(() => resolve(`no answer within ${target.probeTimeout / 1000} s`), target.probeTimeout);
  });
  let answer: string;
  try {
    answer = await Promise.race([probe.run(context), hung]);
  } catch (error) {
    answer = `probe failed: ${error instanceof Error ? error.message.slice(0, 200) : String(error)}`;
  } finally {
    over = true;
    clearTimeout(deadline);
    clearInterval(sampler);
    for (const wire of wires) wire.destroy();
  }
  const durationMs = Date.now() - started;
  const alive = target.alive();
  return {
    answer,
    rssGrowthMiB: baseline !== undefined && peak !== undefined ? (peak - baseline) / 2 ** 20 : undefined,
    alive,
    serving: alive && (await stillServes(target, transport)),
    durationMs,
  };
}

/** A normal exchange after the probe: two users log in, one writes to the other, and the message arrives. */
export async function stillServes(target: HostileTarget, transport: Transport): Promise<boolean> {
  const service = target.service(transport);
  if (!service) return false;
  const wires: Wire[] = [];
  try {
    const receiver = await openWire(transport, service);
    wires.push(receiver);
    const receiverJid = await login(receiver, target.domain, target.users[1], target.password, "check-receiver");
    await receiver.write("<presence xmlns='jabber:client'/>");
    const sender = await openWire(transport, service);
    wires.push(sender);
    await login(sender, target.domain, target.users[0], target.password, "check-sender");
    const id = `check-${Date.now()}`;
    await sender.write(`<message xmlns='jabber:client' to='${receiverJid}' type='chat' id='${id}'><body>still there?</body></message>`);
    await receiver.waitFor(new RegExp(`<message[^>]*id=['"]${id}['"]`), 5000);
    return true;
  } catch {
    return false;
  } finally {
    for (const wire of wires) wire.destroy();
  }
}
