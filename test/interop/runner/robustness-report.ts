import { readFileSync } from "node:fs";
import { type Probe, PROBES, transportsOf } from "../../hostile/probes.js";
import { type ProbeRecord, TARGETS } from "../shared.js";
import { escapeCell, runHeader } from "./markdown.js";

/** Growth worth showing for a probe that is not one of the big ones, MiB. */
const NOTABLE_GROWTH_MIB = 8;

export interface RobustnessContext {
  date: string;
  versions: string[];
  /** One line per target: how it was configured for the probes. */
  configNotes: string[];
  records: ProbeRecord[];
  durationSeconds: number;
  exitCode: number;
}

/** The robustness table: one row per probe and transport, one column per target, the reference first. */
export function renderRobustness(context: RobustnessContext): string {
  const rows = PROBES.flatMap((probe) =>
    transportsOf(probe).map((transport) => {
      const cells = TARGETS.map((target) => cellOf(probe, context.records.find((record) => record.target === target && record.probe === probe.id && record.transport === transport)));
      return `| \`${probe.id}\` | ${transport} | ${cells.map(escapeCell).join(" | ")} |`;
    }),
  );
  return [
    ...runHeader({ ...context, title: "Robustness: hostile input to the reference server, Prosody and ejabberd", tracked: "docs/robustness.md" }),
    "Setup: every probe of the hostile suite (test/hostile/probes.ts) on fresh raw connections over TCP",
    "(RFC 6120 c2s, no TLS) and WebSocket (RFC 7395), logging in with SASL PLAIN where it needs a session;",
    "afterwards two normal clients log in and exchange a message. Users alice, bob, carol on 127.0.0.1.",
    ...context.configNotes.map((text) => `- ${text}`),
    "",
    "Legend: the answer the server gave the probe (`stream error <condition>[ + <application condition>]`,",
    "`SASL failure <condition>`, `<stanza> error <condition>`, `closed` = the connection ended without a stream",
    "error, `WebSocket closed <code>`, `no answer within N s` = the connection stayed open that long, or the",
    "probe's own summary); **CRASHED (process exited)** = the server process was gone after the probe;",
    "`+N MiB` = the server's peak resident memory growth while the probe ran (always for the big probes,",
    `otherwise from ${NOTABLE_GROWTH_MIB} MiB); \`serves\` / **NOT serving** = whether the normal clients were served afterwards.`,
    "After a crash or **NOT serving** the suite restarts the server for the next probe. The reference column is",
    "asserted by the suite (the hostile suite's expected answers, no crash, serving, bounded memory); the real",
    "servers' columns are observations.",
    "",
    ...summaryOf(context.records),
    "",
    `| probe | transport | ${TARGETS.join(" | ")} |`,
    `|---|---|${TARGETS.map(() => "---").join("|")}|`,
    ...rows,
    "",
    "## Probes",
    "",
    ...PROBES.map((probe) => `- \`${probe.id}\`: ${probe.title}`),
    "",
    readFileSync(new URL("long-running.md", import.meta.url), "utf8"),
  ].join("\n");
}

function cellOf(probe: Probe, record: ProbeRecord | undefined): string {
  if (!record) return "not run";
  const growth = record.rssGrowthMiB;
  const memory = growth !== undefined && (probe.maxRssGrowthMiB !== undefined || growth >= NOTABLE_GROWTH_MIB) ? `; +${growth.toFixed(1)} MiB` : "";
  if (record.crashed) return `**CRASHED (process exited)**${memory}`;
  return `${readableAnswer(record)}${memory} · ${record.serving ? "serves" : "**NOT serving**"}`;
}

/** `still open` says how long the suite waited. */
function readableAnswer(record: ProbeRecord): string {
  const waited = `no answer within ${record.answerTimeoutMs / 1000} s`;
  if (record.answer === "still open") return waited;
  return record.answer.replace(/; still open$/, `; then ${waited}`);
}

function summaryOf(records: ProbeRecord[]): string[] {
  return TARGETS.map((target) => {
    const own = records.filter((record) => record.target === target);
    const crashes = own.filter((record) => record.crashed).length;
    const unserved = own.filter((record) => !record.crashed && !record.serving).length;
    const hung = own.filter((record) => /no answer within|still open$/.test(record.answer)).length;
    return `- ${target}: ${own.length} probe runs, ${crashes} crashed it, ${unserved} left it not serving, ${hung} got no answer in time`;
  });
}
