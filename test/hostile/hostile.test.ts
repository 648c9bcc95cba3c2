import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CliProcess } from "../helpers/cli-process.js";
import { PROBES } from "./probes.js";
import { runProbe } from "./run-probe.js";
import { type HostileTarget, isRunning, rssOfPid } from "./target.js";

/**
 * Hostile input against the reference server running as its own process (xmpp-push-sim), over
 * TCP and WebSocket: each probe's answer, the server's memory while it runs, and afterwards that
 * the process still runs and serves a normal client. The server logs a JSON line for any
 * internal error; there must be none.
 */

let cli: CliProcess;
let target: HostileTarget;

beforeAll(async () => {
  cli = new CliProcess(
    ["--tcp-port", "0", "--ws-port", "0", "--user", "alice:pw", "--user", "bob:pw", "--user", "carol:pw", "--auth-timeout", "2000"],
    // A small nursery: V8 otherwise grows its young generation by ~14 MiB at the first burst of
    // garbage, once, which would hide what the server itself holds.
    ["--max-semi-space-size=1"],
  );
  const listening = await cli.line("listening", {}, 15_000);
  const pid = Number(listening.pid);
  target = {
    name: "reference",
    domain: String(listening.domain),
    password: "pw",
    users: ["alice", "bob", "carol"],
    service: (transport) => String(transport === "tcp" ? listening.tcp : listening.websocket),
    rss: () => rssOfPid(pid),
    alive: () => isRunning(pid) && cli.child.exitCode === null,
    answerTimeout: 4000,
  };
}, 20_000);

afterAll(() => cli?.kill());

describe("hostile input to the reference server", () => {
  for (const probe of PROBES) {
    for (const transport of probe.transports ?? (["tcp", "ws"] as const)) {
      it(`${probe.id} over ${transport}: ${probe.title}`, { timeout: 60_000 }, async () => {
        const outcome = await runProbe(target, probe, transport);
        const expected = typeof probe.reference === "string" ? probe.reference : probe.reference[transport];
        expect(outcome.answer).toBe(expected);
        expect(outcome.alive).toBe(true);
        expect(outcome.serving).toBe(true);
        if (probe.maxRssGrowthMiB !== undefined) expect(outcome.rssGrowthMiB).toBeLessThan(probe.maxRssGrowthMiB);
        expect(cli.lines.filter((line) => line.event === "internal-error")).toEqual([]);
      });
    }
  }
});
