import { spawn } from "node:child_process";
import { type ArtifactSuite, REPO_ROOT } from "../artifacts.js";

/** The npm script that runs each suite whose outputs `npm run record` refreshes, in run order. */
export const SUITE_SCRIPTS: Record<ArtifactSuite, string> = {
  interop: "test:interop",
  browser: "test:browser",
};

export function isSuite(name: string): name is ArtifactSuite {
  return Object.hasOwn(SUITE_SCRIPTS, name);
}

/** Runs the whole suite (no filter: a partial run writes no outputs) and resolves with its exit code. */
export function runSuite(suite: ArtifactSuite): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn("npm", ["run", SUITE_SCRIPTS[suite]], { cwd: REPO_ROOT, stdio: "inherit" });
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.once("error", (error) => {
      console.error(`could not run npm run ${SUITE_SCRIPTS[suite]}: ${error.message}`);
      resolve(1);
    });
  });
}
