import type { Target } from "./server-targets.js";
import { formatSpread } from "./spread.js";

/** Deliveries and CPU over a stretch of a round. */
export interface Phase {
  perSecond: number;
  /** The server's CPU (for the reference server: this whole process's) per delivered message, ms. */
  serverCpuPerMessage: number;
  /** This process's CPU per message, ms: the sender's client, the app server, the component link (and the reference server). */
  ownCpuPerMessage: number;
}

export interface Round {
  target: string;
  round: number;
  whole: Phase;
  /** Before and after half the messages were delivered. */
  halves: [Phase, Phase];
  p50: number;
  p99: number;
  /** Messages stored per user at the end of the round, as the server's store counts them. */
  depths: number[];
  /** The server's resident memory at the end of the round (the reference server's: this whole process's), MiB. */
  memoryMiB: number;
}

interface Workload {
  half: number;
  messages: number;
  users: number;
}

const rate = (value: number): string => String(Math.round(value));
const ms = (value: number): string => value.toFixed(3);
const times = (value: number): string => `${value.toFixed(1)}×`;

function table(header: string[], lines: string[][]): string {
  const widths = header.map((_, column) => Math.max(...[header, ...lines].map((line) => (line[column] ?? "").length)));
  const format = (cells: string[]): string => cells.map((cell, column) => cell.padEnd(widths[column]!)).join(" | ");
  return [format(header), widths.map((width) => "-".repeat(width)).join("-+-"), ...lines.map(format)].join("\n");
}

/**
 * Per server, min / median / max over its rounds; then the reference against each real server,
 * round by round (the rounds ran back to back, so they shared the machine's state), at the two
 * depths of each round's halves.
 */
export function report(targets: readonly Target[], rounds: readonly Round[], workload: Workload): string {
  const of = (target: Target): Round[] => rounds.filter((round) => round.target === target.name);
  const reference = targets[0]!;
  const real = targets.slice(1);
  const perUser = (messages: number): string => String(Math.round(messages / workload.users));
  const depthRange = (half: 0 | 1): string => (half === 0 ? `0→${perUser(workload.half)}` : `${perUser(workload.half)}→${perUser(workload.messages)}`);

  const rows: [string, (target: Target) => string][] = [
    ["cold start (spawn → listening, fresh data dir)", (target) => `${target.coldStartMs.toFixed(target.coldStartMs < 10 ? 2 : 0)} ms`],
    ["deliveries/s", (target) => formatSpread(of(target).map((round) => round.whole.perSecond), rate)],
    [`deliveries/s, stored per user ${depthRange(0)}`, (target) => formatSpread(of(target).map((round) => round.halves[0].perSecond), rate)],
    [`deliveries/s, stored per user ${depthRange(1)}`, (target) => formatSpread(of(target).map((round) => round.halves[1].perSecond), rate)],
    ["server CPU ms/message (reference: whole process)", (target) => formatSpread(of(target).map((round) => round.whole.serverCpuPerMessage), ms)],
    [`  stored per user ${depthRange(0)}`, (target) => formatSpread(of(target).map((round) => round.halves[0].serverCpuPerMessage), ms)],
    [`  stored per user ${depthRange(1)}`, (target) => formatSpread(of(target).map((round) => round.halves[1].serverCpuPerMessage), ms)],
    ["bench process CPU ms/message", (target) => formatSpread(of(target).map((round) => round.whole.ownCpuPerMessage), ms)],
    ["latency p50, ms", (target) => formatSpread(of(target).map((round) => round.p50), (value) => value.toFixed(1))],
    ["latency p99, ms", (target) => formatSpread(of(target).map((round) => round.p99), (value) => value.toFixed(1))],
    ["stored per user at the end (min–max of all users and rounds)", (target) => depthSpan(of(target).flatMap((round) => round.depths))],
    ["resident memory at a round's end, MiB (reference: whole process)", (target) => formatSpread(of(target).map((round) => round.memoryMiB), (value) => String(Math.round(value)))],
  ];
  const summary = table(
    ["min / median / max of rounds", ...targets.map((target) => target.name)],
    rows.map(([label, cell]) => [label, ...targets.map(cell)]),
  );

  // Round i of the reference against round i of each real server.
  const paired = (target: Target, value: (referenceRound: Round, round: Round) => number): number[] =>
    of(target).map((round) => {
      const referenceRound = of(reference).find((candidate) => candidate.round === round.round);
      return referenceRound ? value(referenceRound, round) : Number.NaN;
    });
  const ratioRows: [string, (target: Target) => string][] = [];
  for (const half of [0, 1] as const) {
    ratioRows.push([`deliveries/s, reference ÷ server, stored per user ${depthRange(half)}`, (target) => formatSpread(paired(target, (ref, round) => ref.halves[half].perSecond / round.halves[half].perSecond), times)]);
  }
  for (const half of [0, 1] as const) {
    ratioRows.push([
      `CPU/message, server ÷ reference process, stored per user ${depthRange(half)}`,
      (target) => formatSpread(paired(target, (ref, round) => round.halves[half].serverCpuPerMessage / ref.halves[half].serverCpuPerMessage), times),
    ]);
  }
  const ratios = table(
    ["paired by round, min / median / max", ...real.map((target) => target.name)],
    ratioRows.map(([label, cell]) => [label, ...real.map(cell)]),
  );
  return [
    summary,
    "",
    ratios,
    "",
    "Server CPU is read from /proc/<pid>/stat of the real servers' process groups; the reference server's is process.cpuUsage() of this whole",
    "process (it also runs the sender and the app server), so the CPU ratios are lower bounds. \"stored per user a→b\": the offline depth of",
    "every recipient grows from a to b during that half of the round; each round starts on fresh accounts.",
  ].join("\n");
}

function depthSpan(depths: readonly number[]): string {
  if (depths.length === 0) return "–";
  const min = Math.min(...depths);
  const max = Math.max(...depths);
  return min === max ? String(min) : `${min}–${max}`;
}
