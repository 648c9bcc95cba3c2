/**
 * `npm run fuzz [-- CASES] [--seed N] [--only TEXT] [--path P]`: runs the fuzzing properties for
 * CASES cases in all (default 10⁵, shared by their weights) with a random seed, prints per
 * property the cases, crashes (failed properties), exceptions escaped, time and memory, and exits
 * non-zero on any crash or escape. A failure prints fast-check's seed, path and shrunk
 * counterexample; `--seed N --path P --only NAME` replays it.
 */
import { EscapeLog, watchUncaughtExceptions, watchUnhandledRejections } from "./escape-log.js";
import type { FuzzProperty, PropertyOutcome } from "./fuzz-property.js";
import { FUZZ_PROPERTIES } from "./properties.js";

interface Arguments {
  readonly cases: number;
  readonly seed: number;
  readonly only: string | undefined;
  readonly path: string | undefined;
}

function parseArguments(argv: readonly string[]): Arguments {
  const option = (name: string): string | undefined => {
    const at = argv.indexOf(name);
    return at === -1 ? undefined : argv[at + 1];
  };
  const positional = argv.find((argument, index) => !argument.startsWith("--") && !argv[index - 1]?.startsWith("--"));
  const cases = Number(positional ?? 100_000);
  const seed = Number(option("--seed") ?? Math.floor(Math.random() * 2 ** 31));
  if (!Number.isInteger(cases) || cases < 1 || !Number.isInteger(seed)) throw new Error(`usage: npm run fuzz -- [CASES] [--seed N] [--only TEXT] [--path P]`);
  return { cases, seed, only: option("--only"), path: option("--path") };
}

/** Each property's share of the cases, at least one. */
function share(properties: readonly FuzzProperty[], cases: number): number[] {
  const total = properties.reduce((sum, property) => sum + property.weight, 0);
  return properties.map((property) => Math.max(1, Math.round((cases * property.weight) / total)));
}

const megabytes = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MB`;

function row(outcome: PropertyOutcome, escaped: number, rss: number): string {
  const verdict = outcome.failed ? "CRASH" : "ok";
  return `${verdict.padEnd(5)} ${String(outcome.runs).padStart(7)} cases  ${String(escaped).padStart(3)} escaped  ${(outcome.elapsedMs / 1000).toFixed(1).padStart(6)} s  rss ${megabytes(rss).padStart(7)}  ${outcome.name}`;
}

async function main(): Promise<number> {
  const args = parseArguments(process.argv.slice(2));
  const properties = FUZZ_PROPERTIES.filter((property) => args.only === undefined || property.name.includes(args.only));
  const runs = share(properties, args.cases);
  const log = new EscapeLog();
  const unwatch = [watchUnhandledRejections(log), watchUncaughtExceptions(log)];
  const started = performance.now();
  console.log(`fuzzing ${properties.length} properties, ${runs.reduce((sum, count) => sum + count, 0)} cases, seed ${args.seed}`);

  const outcomes: PropertyOutcome[] = [];
  for (const [index, property] of properties.entries()) {
    const escapedBefore = log.total;
    const outcome = await property.run({ numRuns: runs[index] ?? 1, seed: args.seed, log, ...(args.path === undefined ? {} : { path: args.path }) });
    outcomes.push(outcome);
    console.log(row(outcome, log.total - escapedBefore, process.memoryUsage().rss));
    if (outcome.failed) console.log(indent(outcome.report ?? ""));
  }
  for (const stop of unwatch) stop();

  const crashes = outcomes.filter((outcome) => outcome.failed);
  const elapsed = (performance.now() - started) / 1000;
  console.log("");
  console.log(`cases run:         ${outcomes.reduce((sum, outcome) => sum + outcome.runs, 0)} (shrinking steps: ${outcomes.reduce((sum, outcome) => sum + outcome.shrinks, 0)})`);
  console.log(`crashes:           ${crashes.length}${crashes.length ? ` (${crashes.map((outcome) => outcome.name).join("; ")})` : ""}`);
  console.log(`exceptions escaped: ${log.total} (internal-error ${log.internalErrors}, thrown ${log.throws}, unhandled rejections ${log.unhandledRejections}, uncaught ${log.uncaughtExceptions})`);
  console.log(`peak RSS:          ${megabytes(process.resourceUsage().maxRSS * 1024)}`);
  console.log(`elapsed:           ${elapsed.toFixed(1)} s`);
  console.log(`seed:              ${args.seed}`);
  if (log.total > 0) console.log(`latest escapes:\n${indent(log.recent.join("\n"))}`);
  return crashes.length > 0 || log.total > 0 ? 1 : 0;
}

function indent(text: string): string {
  return text.replace(/^/gm, "    ");
}

process.exitCode = await main();
