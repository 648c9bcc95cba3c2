import type { LinkAcceptor } from "../../src/sim/index.js";
import { type ConnectionRun, driveCase, endCase, settle } from "./drive-case.js";
import type { EscapeLog } from "./escape-log.js";
import type { FuzzCase } from "./fuzz-case.js";
import { outputProblems } from "./well-formed-output.js";

export interface CaseResult {
  readonly runs: readonly ConnectionRun[];
  readonly problems: string[];
}

/**
 * Feeds a case to a server, then ends its connections, optionally after `lingerMs` (so that the
 * server's timers fire on them), and lists what went wrong: exceptions that escaped, output that
 * is not well-formed, data after the close.
 */
export async function runCase(server: LinkAcceptor, input: FuzzCase, log: EscapeLog, lingerMs = 0): Promise<CaseResult> {
  const escapedBefore = log.total;
  const runs = await driveCase(server, input, log);
  if (lingerMs > 0) await new Promise((resolve) => setTimeout(resolve, lingerMs));
  endCase(runs, log);
  await settle();
  const problems = runs.flatMap((run, index) => outputProblems(run.link).map((problem) => `connection ${index}: ${problem}`));
  const escaped = log.total - escapedBefore;
  if (escaped > 0) problems.push(`${escaped} exception(s) escaped:\n${log.recent.slice(-escaped).join("\n")}`);
  return { runs, problems };
}
