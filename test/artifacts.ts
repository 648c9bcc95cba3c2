import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * What the suites produce (the interop table, recorded publishes, the PWA screenshot) goes to
 * the gitignored .artifacts/<suite>/, so that running a suite never changes a tracked file.
 * `npm run record` (test/record.ts) copies it to the tracked places.
 */
export type ArtifactSuite = "interop" | "browser";

export const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));

export function artifactPath(suite: ArtifactSuite, ...parts: string[]): string {
  return join(REPO_ROOT, ".artifacts", suite, ...parts);
}
