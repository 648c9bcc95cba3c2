import { expect } from "vitest";
import type { CliProcess } from "../helpers/cli-process.js";
import type { Probe } from "./probes.js";
import type { ProbeOutcome } from "./run-probe.js";
import type { Transport } from "./wire.js";

/** What the reference server must do with a probe: the expected answer, alive and serving afterwards, bounded memory, no internal error. */
export function expectReferenceOutcome(probe: Probe, transport: Transport, outcome: ProbeOutcome, cli: CliProcess): void {
  const expected = typeof probe.reference === "string" ? probe.reference : probe.reference[transport];
  expect(outcome.answer).toBe(expected);
  expect(outcome.alive).toBe(true);
  expect(outcome.serving).toBe(true);
  if (probe.maxRssGrowthMiB !== undefined) expect(outcome.rssGrowthMiB).toBeLessThan(probe.maxRssGrowthMiB);
  expect(cli.lines.filter((line) => line.event === "internal-error")).toEqual([]);
}
