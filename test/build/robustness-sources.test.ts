import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../artifacts.js";

/**
 * docs/robustness.md is written by `npm run record`, which appends
 * test/interop/runner/long-running.md to it; a change to either by hand must reach the other
 * (they had drifted apart once, unnoticed, by a MUC row).
 */
describe("docs/robustness.md: what a long-running simulator keeps", () => {
  it("holds test/interop/runner/long-running.md as it is", () => {
    const doc = readFileSync(join(REPO_ROOT, "docs/robustness.md"), "utf8");
    const section = readFileSync(join(REPO_ROOT, "test/interop/runner/long-running.md"), "utf8").trim();
    expect(section.startsWith("## What a long-running simulator keeps")).toBe(true);
    expect(doc).toContain(section);
  });
});
