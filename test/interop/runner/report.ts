import { readFileSync } from "node:fs";
import { type Note, SCENARIOS, type ScenarioTitle, TARGETS, type TargetName } from "../shared.js";
import { readJsonLines } from "./json-lines.js";
import { escapeCell, runHeader } from "./markdown.js";
import { renderSourcePresets } from "./source-presets.js";

/** The part of vitest's JSON reporter output the table needs. */
interface VitestReport {
  testResults: { assertionResults: { ancestorTitles: string[]; title: string; status: string; failureMessages: string[] }[] }[];
}

export type Table = { scenario: ScenarioTitle; cells: Record<TargetName, string> }[];

export function readNotes(file: string): Note[] {
  return readJsonLines<Note>(file);
}

export function readVitestReport(file: string): VitestReport | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as VitestReport;
  } catch {
    return undefined;
  }
}

/** One row per scenario, one column per target: pass, fail: …, differs: …, n/a or not run. */
export function buildTable(report: VitestReport | undefined, notes: Note[]): Table {
  const results = new Map<string, { status: string; failureMessages: string[] }>();
  for (const file of report?.testResults ?? []) {
    for (const result of file.assertionResults) results.set(`${result.ancestorTitles[0] ?? ""}\u0000${result.title}`, result);
  }
  return Object.values(SCENARIOS).map((scenario) => ({
    scenario,
    cells: Object.fromEntries(
      TARGETS.map((target) => {
        const result = results.get(`${target}\u0000${scenario}`);
        const differences = [...new Set(notes.filter((entry) => entry.target === target && entry.scenario === scenario && entry.kind === "differs").map((entry) => entry.text))];
        return [target, cellOf(result, differences)];
      }),
    ) as Record<TargetName, string>,
  }));
}

function cellOf(result: { status: string; failureMessages: string[] } | undefined, differences: string[]): string {
  if (!result) return "not run";
  if (result.status === "failed") return `fail: ${firstLine(result.failureMessages[0] ?? "")}`;
  if (result.status !== "passed") return "n/a";
  return differences.length > 0 ? `differs: ${differences.join("; ")}` : "pass";
}

function firstLine(message: string): string {
  const line = message.replace(/\u001b\[[0-9;]*m/g, "").split("\n")[0] ?? "";
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
}

export function renderText(table: Table): string {
  const header = ["scenario", ...TARGETS];
  const rows = table.map((row) => [row.scenario, ...TARGETS.map((target) => row.cells[target])]);
  const widths = header.map((title, column) => Math.min(60, Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length))));
  const line = (cells: string[]): string => cells.map((cell, column) => clip(cell, widths[column]!).padEnd(widths[column]!)).join(" | ");
  return [line(header), widths.map((width) => "-".repeat(width)).join("-+-"), ...rows.map(line)].join("\n");
}

function clip(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

export interface ReportContext {
  date: string;
  versions: string[];
  table: Table;
  notes: Note[];
  fixtures: string[];
  durationSeconds: number;
  exitCode: number;
  configNotes: string[];
}

export function renderMarkdown(context: ReportContext): string {
  const seen = TARGETS.flatMap((target) => {
    const entries = context.notes.filter((entry) => entry.target === target);
    if (entries.length === 0) return [];
    return [`### ${target}`, "", ...[...new Set(entries.map((entry) => `- ${entry.scenario}: ${entry.kind === "differs" ? "**differs** — " : ""}${entry.text}`))], ""];
  });
  return [
    ...runHeader({ ...context, title: "Interop: the SDK and the app server simulator against real servers", tracked: "docs/interop.md" }),
    "Setup: each server in a temporary directory on 127.0.0.1 with users alice, bob, carol; clients are",
    "@xmpp/client over WebSocket (the room-join scenario over TCP; `npm run test:interop:tcp` runs every",
    "scenario over TCP and is not recorded); the app server simulator is linked as the XEP-0114 component",
    "`push.localhost` with `connectComponent` (the reference server: `attach`, in process).",
    ...context.configNotes.map((text) => `- ${text}`),
    "",
    "\"differs\" = passed, but the server departs from XEP-0357's examples and the reference server (details below);",
    "\"n/a\" = does not apply to that target.",
    "",
    `| scenario | ${TARGETS.join(" | ")} |`,
    `|---|${TARGETS.map(() => "---").join("|")}|`,
    ...context.table.map((row) => `| ${escapeCell(row.scenario)} | ${TARGETS.map((target) => escapeCell(row.cells[target])).join(" | ")} |`),
    "",
    ...renderSourcePresets(),
    "## Observations per target",
    "",
    ...seen,
    "## Recorded publishes",
    "",
    "Recorded by the suite; `npm run record` copies them to `test/interop/fixtures/` (the publish as",
    "the app server received it, re-serialized; the IQ id, node and secret replaced by ID, NODE and SECRET):",
    "",
    ...(context.fixtures.length > 0 ? context.fixtures.map((file) => `- \`${file}\``) : ["- (none written)"]),
    "",
  ].join("\n");
}
