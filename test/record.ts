/**
 * Refreshes the tracked files the suites produce: runs each suite in full and, only if it passed,
 * copies its outputs from .artifacts/ to their tracked places (the table in record/outputs.ts:
 * docs/interop.md, test/interop/fixtures/*.xml, docs/pwa.png). Exit code 1 when a suite failed.
 *
 *   npm run record                # interop, then browser
 *   npm run record -- interop     # or browser: just that suite
 */
import { rm } from "node:fs/promises";
import { type ArtifactSuite, artifactPath } from "./artifacts.js";
import { copyOutputs } from "./record/copy-outputs.js";
import { RECORDED_OUTPUTS } from "./record/outputs.js";
import { isSuite, runSuite, SUITE_SCRIPTS } from "./record/suites.js";

async function main(): Promise<number> {
  const failed: ArtifactSuite[] = [];
  for (const suite of chosenSuites(process.argv.slice(2))) {
    if (!(await recordSuite(suite))) failed.push(suite);
  }
  if (failed.length > 0) console.error(`\nrecord: ${failed.join(", ")} not refreshed`);
  return failed.length === 0 ? 0 : 1;
}

async function recordSuite(suite: ArtifactSuite): Promise<boolean> {
  // Whatever an older run left there must not be taken for this run's output.
  await rm(artifactPath(suite), { recursive: true, force: true });
  const exitCode = await runSuite(suite);
  if (exitCode !== 0) {
    console.error(`\nrecord: ${suite} failed (exit code ${exitCode}); its tracked files are left as they are`);
    return false;
  }
  try {
    const lines = await copyOutputs(RECORDED_OUTPUTS.filter((output) => output.suite === suite));
    console.log(`\nrecord: ${suite} passed:\n${lines.map((line) => `  ${line}`).join("\n")}`);
    return true;
  } catch (error) {
    console.error(`\nrecord: ${suite}: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}

function chosenSuites(args: string[]): ArtifactSuite[] {
  const known = Object.keys(SUITE_SCRIPTS).filter(isSuite);
  if (args.length === 0) return known;
  const unknown = args.filter((arg) => !isSuite(arg));
  if (unknown.length > 0) throw new Error(`unknown suite ${unknown.join(", ")}; the suites are ${known.join(", ")}`);
  return known.filter((suite) => args.includes(suite));
}

main()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    console.error(`\nrecord FAILED: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
