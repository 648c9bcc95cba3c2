import { afterAll, describe, it } from "vitest";
import { type Probe, PROBES, transportsOf } from "../hostile/probes.js";
import { referenceProbeTests } from "../hostile/reference-suite.js";
import { type ProbeOutcome, runProbe, stillServes } from "../hostile/run-probe.js";
import type { HostileTarget } from "../hostile/target.js";
import type { Transport } from "../hostile/wire.js";
import { type ProbeRecord, REAL_SERVERS, type TargetName } from "./shared.js";
import { control, serverPid } from "./support/control.js";
import { realServer } from "./support/env.js";
import { REAL_PROBE_TIMEOUT, realHostileTarget } from "./support/hostile-target.js";
import { recordProbe } from "./support/probe-records.js";
import { disablePushRegistrations } from "./support/push-cleanup.js";

/**
 * The hostile suite's probes (test/hostile/probes.ts) over TCP and WebSocket against the
 * reference server (its own process, exactly as in hostile.test.ts), Prosody and ejabberd; each
 * outcome goes to the runner's robustness table. Only the reference's outcomes are asserted: the
 * real servers' are observations. A real server that died on a probe is recorded as crashed and
 * started again before the next one (so is one that no longer serves). At the end the push
 * registrations a probe left are disabled and each server is stopped gracefully (so that the
 * disable is on disk: ejabberd loses recent writes to a SIGKILL) and started again, so that the
 * files after this one meet fresh servers (no hibernated sessions or buffers left from the probes).
 */

/** A server that stopped serving may be on its way out (ejabberd over a deep stanza): how long to watch before calling it alive. */
const DYING_GRACE = 15_000;
/** Probe, serving check, the grace and a restart. */
const REAL_TEST_TIMEOUT = REAL_PROBE_TIMEOUT + DYING_GRACE + 120_000;

function probeRecord(target: TargetName, probe: Probe, transport: Transport, outcome: ProbeOutcome, crashed: boolean, on: HostileTarget): ProbeRecord {
  return {
    target,
    probe: probe.id,
    transport,
    answer: outcome.answer,
    answerTimeoutMs: on.answerTimeout,
    crashed,
    serving: outcome.serving,
    rssGrowthMiB: outcome.rssGrowthMiB,
    durationMs: outcome.durationMs,
  };
}

/** Whether the process is gone now (it may die a moment after the probe's connections closed) or within `grace` ms. */
async function diesWithin(target: HostileTarget, grace: number): Promise<boolean> {
  const deadline = Date.now() + grace;
  while (target.alive()) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

describe("reference", () => {
  referenceProbeTests((probe, transport, outcome, target) => recordProbe(probeRecord("reference", probe, transport, outcome, !outcome.alive, target)));
});

for (const name of REAL_SERVERS) {
  describe(name, () => {
    for (const probe of PROBES) {
      for (const transport of transportsOf(probe)) {
        it(`${probe.id} over ${transport}`, { timeout: REAL_TEST_TIMEOUT }, async () => {
          const target = realHostileTarget(realServer(name), await serverPid(name));
          const outcome = await runProbe(target, probe, transport);
          const crashed = !outcome.alive || (await diesWithin(target, outcome.serving ? 0 : DYING_GRACE));
          recordProbe(probeRecord(name, probe, transport, outcome, crashed, target));
          // One probe's damage must not spoil the rest of the column.
          if (crashed || !outcome.serving) {
            await control(name, "kill");
            await control(name, "start");
          }
        });
      }
    }

    afterAll(async () => {
      await disablePushRegistrations(realHostileTarget(realServer(name), await serverPid(name)));
      await control(name, "stop");
      await control(name, "start");
      const target = realHostileTarget(realServer(name), await serverPid(name));
      for (const transport of ["tcp", "ws"] as const) {
        if (!(await stillServes(target, transport))) throw new Error(`${name} does not serve over ${transport} after its restart`);
      }
    }, 180_000);
  });
}
