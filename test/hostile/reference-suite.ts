import { afterAll, beforeAll, it } from "vitest";
import { expectReferenceOutcome } from "./expect-reference.js";
import { type Probe, PROBES, transportsOf } from "./probes.js";
import { type ReferenceProcess, startReferenceProcess } from "./reference-process.js";
import { type ProbeOutcome, runProbe } from "./run-probe.js";
import type { HostileTarget } from "./target.js";
import type { Transport } from "./wire.js";

export type OutcomeListener = (probe: Probe, transport: Transport, outcome: ProbeOutcome, target: HostileTarget) => void;

/**
 * Inside a describe block: starts the reference process, and defines one test per probe and
 * transport that asserts what the reference must do. `onOutcome` sees each outcome before the
 * assertions (the interop suite records them for its robustness table).
 */
export function referenceProbeTests(onOutcome: OutcomeListener = () => undefined): void {
  let reference: ReferenceProcess | undefined;
  beforeAll(async () => {
    reference = await startReferenceProcess();
  }, 20_000);
  afterAll(() => reference?.cli.kill());

  for (const probe of PROBES) {
    for (const transport of transportsOf(probe)) {
      it(`${probe.id} over ${transport}: ${probe.title}`, { timeout: 60_000 }, async () => {
        if (!reference) throw new Error("the reference server did not start");
        const outcome = await runProbe(reference.target, probe, transport);
        onOutcome(probe, transport, outcome, reference.target);
        expectReferenceOutcome(probe, transport, outcome, reference.cli);
      });
    }
  }
}
