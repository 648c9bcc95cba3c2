import fc from "fast-check";
import type { EscapeLog } from "./escape-log.js";

/** A property ready to run, and what to do once its runs are over (close servers, a last check). */
export interface PreparedProperty<Input> {
  readonly property: fc.IAsyncProperty<[Input]> | fc.IProperty<[Input]>;
  /** Inputs run before the generated ones: counterexamples fuzzing found once, so that the bug cannot come back unseen. */
  readonly examples?: readonly Input[];
  /** Returns a problem found at the end (e.g. the server no longer serves), or undefined. */
  readonly finish?: () => Promise<string | undefined>;
}

export interface PropertyOutcome {
  readonly name: string;
  readonly runs: number;
  readonly shrinks: number;
  readonly seed: number;
  readonly failed: boolean;
  /** fast-check's report: seed, path and the shrunk counterexample, to replay it. */
  readonly report: string | undefined;
  readonly elapsedMs: number;
}

export interface RunOptions {
  readonly numRuns: number;
  readonly seed: number;
  readonly log: EscapeLog;
  /** Replays one case: fast-check's `counterexamplePath` from an earlier report. */
  readonly path?: string;
}

/** One fuzzing property, as `npm test` and `npm run fuzz` both run it. */
export interface FuzzProperty {
  readonly name: string;
  /** Its share of `npm run fuzz`'s cases. */
  readonly weight: number;
  run(options: RunOptions): Promise<PropertyOutcome>;
}

export function fuzzProperty<Input>(name: string, weight: number, prepare: (log: EscapeLog) => PreparedProperty<Input>): FuzzProperty {
  return {
    name,
    weight,
    async run({ numRuns, seed, log, path }) {
      const started = performance.now();
      const { property, finish, examples = [] } = prepare(log);
      const details = await fc.check(property, {
        numRuns,
        seed,
        includeErrorInReport: true,
        examples: examples.map((example): [Input] => [example]),
        ...(path === undefined ? {} : { path }),
      });
      const finalProblem = await finish?.();
      const report = details.failed ? fc.defaultReportMessage(details) : finalProblem && `after ${details.numRuns} runs (seed ${seed}): ${finalProblem}`;
      return {
        name,
        runs: details.numRuns,
        shrinks: details.numShrinks,
        seed: details.seed,
        failed: details.failed || finalProblem !== undefined,
        report,
        elapsedMs: performance.now() - started,
      };
    },
  };
}

/** Fails the case with every problem found, so that the report shows them all. */
export function expectNoProblems(problems: readonly string[]): void {
  if (problems.length > 0) throw new Error(problems.join("\n"));
}
