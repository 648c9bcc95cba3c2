// The tarball as published: publint and arethetypeswrong (every entry green under node10,
// node16 from CommonJS and from ESM, and bundler), with the LICENSE and without source maps.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { packPackage, repoRoot } from "./support/project.js";

const run = promisify(execFile);
const bin = (name: string): string => join(repoRoot, "node_modules/.bin", name);

it("publint finds nothing to say", async () => {
  const { stdout } = await run(bin("publint"), ["--strict", await packPackage()]);
  expect(stdout).toContain("All good!");
});

it("arethetypeswrong: every entry resolves with the right types in node10, node16 (CJS and ESM) and bundler", async () => {
  const { stdout } = await run(bin("attw"), ["--format", "json", await packPackage()], { maxBuffer: 64 << 20 });
  const report = JSON.parse(stdout) as { analysis: { problems: unknown[]; entrypoints: Record<string, { resolutions: Record<string, unknown> }> } };
  expect(report.analysis.problems).toEqual([]);
  expect(Object.keys(report.analysis.entrypoints).sort()).toEqual([".", "./async-storage", "./bundler", "./idb", "./package.json", "./sim", "./sim/node", "./sw", "./web"]);
  for (const entry of Object.values(report.analysis.entrypoints)) {
    expect(Object.keys(entry.resolutions).sort()).toEqual(["bundler", "node10", "node16-cjs", "node16-esm"]);
  }
});

it("the tarball carries the LICENSE and no source maps", async () => {
  const { stdout } = await run("tar", ["-tzf", await packPackage()]);
  const files = stdout.split("\n").filter(Boolean);
  expect(files).toContain("package/LICENSE");
  expect(files.filter((file) => file.endsWith(".map"))).toEqual([]);
  expect(files.filter((file) => !file.startsWith("package/dist/") && !["package/LICENSE", "package/README.md", "package/package.json"].includes(file))).toEqual([]);
});
