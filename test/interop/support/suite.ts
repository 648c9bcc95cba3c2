import { afterAll, afterEach, beforeAll, describe } from "vitest";
import { TARGETS, type TargetName } from "../shared.js";
import { openTarget, type ReferenceOptions, type Target } from "./target.js";

/**
 * One describe block per target (titled with its name, as the runner's table expects), each with
 * its own app server linked to that target; `target()` is valid inside tests. `reference` sets up
 * the reference server for this file (e.g. as Prosody with MAM).
 */
export function forEachTarget(define: (name: TargetName, target: () => Target) => void, reference: ReferenceOptions = {}): void {
  for (const name of TARGETS) {
    describe(name, () => {
      let opened: Target | undefined;
      beforeAll(async () => {
        opened = await openTarget(name, reference);
      });
      afterEach(async () => {
        await opened?.disconnectAll();
      });
      afterAll(async () => {
        await opened?.close();
      });
      define(name, () => {
        if (!opened) throw new Error(`${name} did not open`);
        return opened;
      });
    });
  }
}
