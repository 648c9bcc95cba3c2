import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../artifacts.js";
import { renderSourcePresets, SOURCE_MODELS } from "../interop/runner/source-presets.js";

/**
 * docs/interop.md is written by `npm run record`; its "modelled from sources" section comes from
 * test/interop/runner/source-presets.ts. A change there must reach the doc (rewrite that section
 * or re-record), and every test file the table names must exist.
 */
describe("docs/interop.md: the behaviours modelled from sources", () => {
  it("holds the section source-presets.ts renders", () => {
    const doc = readFileSync(join(REPO_ROOT, "docs/interop.md"), "utf8");
    expect(doc).toContain(renderSourcePresets().join("\n"));
  });

  it("names only test files and folders that exist", () => {
    const named = SOURCE_MODELS.flatMap((model) => [...model.checked.matchAll(/`(test\/[^`]+)`/g)].map((match) => match[1]!));
    expect(named.length).toBeGreaterThan(SOURCE_MODELS.length);
    const missing = named.filter((path) => !existsSync(join(REPO_ROOT, path)));
    expect(missing).toEqual([]);
  });
});
