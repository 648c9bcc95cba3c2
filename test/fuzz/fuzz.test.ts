import { afterAll, describe, expect, it } from "vitest";
import { EscapeLog, watchUnhandledRejections } from "./escape-log.js";
import type { FuzzProperty } from "./fuzz-property.js";
import { FUZZ_PROPERTIES } from "./properties.js";

/** A few cases per property with a fixed seed: the same cases every run; `npm run fuzz` runs 10⁵ with a random one. */
const SEED = 20_260_357;
const RUNS_IN_NPM_TEST = 25;

const log = new EscapeLog();
const unwatch = watchUnhandledRejections(log);
afterAll(() => unwatch());

async function expectToHold(property: FuzzProperty): Promise<void> {
  const outcome = await property.run({ numRuns: RUNS_IN_NPM_TEST, seed: SEED, log });
  expect(outcome.failed, outcome.report).toBe(false);
}

describe("fuzzing (fast-check, fixed seed)", () => {
  for (const property of FUZZ_PROPERTIES) it(property.name, () => expectToHold(property));

  it("lets no exception escape in all those cases", () => {
    expect(log.total, log.recent.join("\n")).toBe(0);
  });
});
