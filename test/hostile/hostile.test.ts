import { afterAll, beforeAll, describe, it } from "vitest";
import { expectReferenceOutcome } from "./expect-reference.js";
import { PROBES, transportsOf } from "./probes.js";
import { type ReferenceProcess, startReferenceProcess } from "./reference-process.js";
import { runProbe } from "./run-probe.js";

/**
 * Hostile input against the reference server running as its own process (xmpp-push-sim), over
 * TCP and WebSocket: each probe's answer, the server's memory while it runs, and afterwards that
 * the process still runs and serves a normal client. The server logs a JSON line for any
 * internal error; there must be none.
 */

let reference: ReferenceProcess | undefined;

beforeAll(async () => {
  reference = await startReferenceProcess();
}, 20_000);

afterAll(() => reference?.cli.kill());

describe("hostile input to the reference server", () => {
  for (const probe of PROBES) {
    for (const transport of transportsOf(probe)) {
      it(`${probe.id} over ${transport}: ${probe.title}`, { timeout: 60_000 }, async () => {
        if (!reference) throw new Error("the reference server did not start");
        const outcome = await runProbe(reference.target, probe, transport);
        expectReferenceOutcome(probe, transport, outcome, reference.cli);
      });
    }
  }
});
