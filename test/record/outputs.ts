import type { ArtifactSuite } from "../artifacts.js";

/** One artifact a suite writes and the tracked path `npm run record` copies it to (both repo-relative). */
export interface RecordedOutput {
  suite: ArtifactSuite;
  artifact: string;
  tracked: string;
  /** Both paths are folders: the artifact's files with this ending replace the tracked ones. */
  filesEnding?: string;
  /** Absent after a passing run is fine: nothing is copied and the tracked copy stays. */
  optional?: boolean;
}

export const RECORDED_OUTPUTS: readonly RecordedOutput[] = [
  { suite: "interop", artifact: ".artifacts/interop/interop.md", tracked: "docs/interop.md" },
  { suite: "interop", artifact: ".artifacts/interop/fixtures", tracked: "test/interop/fixtures", filesEnding: ".xml" },
  { suite: "interop", artifact: ".artifacts/interop/robustness.md", tracked: "docs/robustness.md", optional: true },
  { suite: "browser", artifact: ".artifacts/browser/pwa.png", tracked: "docs/pwa.png" },
];
