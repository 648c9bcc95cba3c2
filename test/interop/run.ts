/**
 * Interop runner: starts real Prosody (mod_cloud_notify) and ejabberd (mod_push) on 127.0.0.1
 * from temporary directories, runs the scenario suite (test/interop/*.test.ts) against them and
 * the reference server, prints a scenario × server table and writes it to
 * .artifacts/interop/interop.md, and the hostile probes' outcomes (robustness.test.ts) as a
 * probe × server table to .artifacts/interop/robustness.md. Every server is stopped by its PID at
 * the end, also when the suite fails or the run is interrupted. Exit code = the suite's.
 *
 *   npx tsx test/interop/run.ts [--transport=tcp] [--outputFile=report.json] [vitest filter args…]
 *
 * `--transport=tcp`: the scenarios' clients speak TCP instead of WebSocket, the reference
 * server's through its TCP listener instead of the in-memory transport (over TCP a server hands
 * over several elements in one read, as native apps see it); the hostile probes, which try both
 * transports anyway, are left out. Such a run is partial.
 *
 * `--reporter=…` is ignored (the runner always reports with vitest's default and JSON reporters);
 * `--outputFile=…` receives a copy of the JSON report (as .ci/run asks every suite for one). Any
 * other argument goes to vitest and makes the run partial: then .artifacts/interop/ is left as it
 * is. The suite records fixtures into the run's directory; they go to
 * .artifacts/interop/fixtures/*.xml only after a full run that passed. Tracked files are never
 * written: `npm run record` (test/record.ts) copies the tables to docs/interop.md and
 * docs/robustness.md and the fixtures to test/interop/fixtures/. INTEROP_KEEP=1 keeps the
 * servers' temporary directories.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve as resolvePath } from "node:path";
import { artifactPath, REPO_ROOT } from "../artifacts.js";
import { ENV, type ProbeRecord } from "./shared.js";
import { startControl } from "./runner/control.js";
import { ServerFleet } from "./runner/fleet.js";
import { readJsonLines } from "./runner/json-lines.js";
import { buildTable, readNotes, readVitestReport, renderMarkdown, renderText } from "./runner/report.js";
import { robustnessConfigNotes } from "./runner/robustness-notes.js";
import { renderRobustness } from "./runner/robustness-report.js";

const FIXTURES = artifactPath("interop", "fixtures");
const TABLE = artifactPath("interop", "interop.md");
const ROBUSTNESS = artifactPath("interop", "robustness.md");
/** Where `npm run record` copies the fixtures: the table names them there. */
const TRACKED_FIXTURES = "test/interop/fixtures";
const SUITE_TIMEOUT = Number(process.env.INTEROP_TIMEOUT ?? 20 * 60_000);

let suite: ChildProcess | undefined;

async function main(): Promise<number> {
  const startedAt = Date.now();
  const { vitestArgs, reportCopies, transport } = parseArguments(process.argv.slice(2));
  const fullRun = vitestArgs.length === 0 && transport === "websocket";
  if (transport === "tcp") vitestArgs.push("--exclude", "test/interop/robustness.test.ts");
  const fleet = await ServerFleet.create();
  fleet.onInterrupt(stopSuite);
  // The suite's process group goes with the runner, however the runner ends.
  process.on("exit", () => {
    if (suite?.pid && suite.exitCode === null) signalGroup(suite.pid, "SIGKILL");
  });
  try {
    await fleet.start();
    const versions = [...fleet.versions(), `Node ${process.version}, @xmpp/client 0.14, @xmpp/component 0.13.1`];
    console.log(`\nInterop targets:\n${versions.map((version) => `  ${version}`).join("\n")}\n`);

    const runDir = await mkdtemp(join(tmpdir(), "xmpp-push-interop-"));
    const notesFile = join(runDir, "notes.jsonl");
    const probesFile = join(runDir, "probes.jsonl");
    const reportFile = join(runDir, "vitest.json");
    const stagedFixtures = join(runDir, "fixtures");
    await mkdir(stagedFixtures);
    await writeFile(notesFile, "");
    await writeFile(probesFile, "");
    const control = await startControl(fleet.servers);
    const exitCode = await runSuite(vitestArgs, reportFile, {
      [ENV.servers]: JSON.stringify([...fleet.servers.values()].map((server) => server.info)),
      [ENV.control]: control.url,
      [ENV.notes]: notesFile,
      [ENV.probes]: probesFile,
      [ENV.fixtures]: stagedFixtures,
      [ENV.transport]: transport,
    });
    await control.close();
    // Interrupted: the signal handler stops everything and exits; nothing here is a result.
    if (fleet.interrupted) return new Promise<number>(() => undefined);

    for (const copy of reportCopies) await copyFile(reportFile, copy).catch((error: Error) => console.error(`could not copy the report to ${copy}: ${error.message}`));
    const notes = readNotes(notesFile);
    const table = buildTable(readVitestReport(reportFile), notes);
    if (transport === "tcp") console.log("\nevery scenario's clients over TCP:");
    console.log(`\n${renderText(table)}\n`);
    if (fullRun) {
      await replaceFixtures(exitCode === 0 ? stagedFixtures : undefined);
      const fixtures = (await readdir(FIXTURES)).map((file) => `${TRACKED_FIXTURES}/${file}`);
      const markdown = renderMarkdown({
        date: new Date().toISOString().slice(0, 10),
        versions,
        table,
        notes,
        fixtures,
        durationSeconds: (Date.now() - startedAt) / 1000,
        exitCode,
        configNotes: [
          `Prosody: \`push_max_errors = ${fleet.get("prosody").info.maxPublishErrors}\` (default 16) so that the suite sees the cut-off; otherwise mod_cloud_notify's defaults (no body, no sender); mod_mam on (archives every chat message, internal storage).`,
          "ejabberd: mod_push, mod_stream_mgmt and mod_mam with defaults (mod_mam archives nothing unless the user asks: the MAM scenario sets bob's default to `always` and back); the node uses a fixed distribution port (no epmd).",
          "reference: the MAM scenario runs it with `preset: \"prosody\", mam: true`; every other scenario with the defaults.",
        ],
      });
      await mkdir(dirname(TABLE), { recursive: true });
      await writeFile(TABLE, markdown);
      console.log(`table written to ${relative(REPO_ROOT, TABLE)} (\`npm run record\` refreshes docs/interop.md)`);
      await writeFile(
        ROBUSTNESS,
        renderRobustness({
          date: new Date().toISOString().slice(0, 10),
          versions,
          configNotes: robustnessConfigNotes(fleet.servers),
          records: readJsonLines<ProbeRecord>(probesFile),
          durationSeconds: (Date.now() - startedAt) / 1000,
          exitCode,
        }),
      );
      console.log(`robustness table written to ${relative(REPO_ROOT, ROBUSTNESS)} (\`npm run record\` refreshes docs/robustness.md)`);
    }

    await fleet.stop();
    if (exitCode === 0 && !process.env.INTEROP_KEEP) {
      await fleet.removeDirectories();
      await rm(runDir, { recursive: true, force: true });
    } else {
      console.log(`server configs and logs kept in:\n${[...fleet.servers.values()].map((server) => `  ${server.dir}`).join("\n")}\n  ${runDir}`);
    }
    console.log(`interop run took ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
    return exitCode;
  } catch (error) {
    await fleet.stop();
    for (const server of fleet.servers.values()) console.error(`${server.info.name} config and logs: ${server.dir}`);
    throw error;
  }
}

/** vitest runs in its own process group: ending the group also ends its workers. */
async function stopSuite(): Promise<void> {
  const child = suite;
  if (!child?.pid || child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  signalGroup(child.pid, "SIGTERM");
  const timer = setTimeout(() => signalGroup(child.pid!, "SIGKILL"), 3_000);
  await exited;
  clearTimeout(timer);
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function parseArguments(args: string[]): { vitestArgs: string[]; reportCopies: string[]; transport: "websocket" | "tcp" } {
  const vitestArgs: string[] = [];
  const reportCopies: string[] = [];
  let transport: "websocket" | "tcp" = "websocket";
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    const [option, value] = arg.split(/=(.*)/s) as [string, string | undefined];
    if (option === "--reporter" || option === "--outputFile" || option === "--outputFile.json") {
      const optionValue = value ?? args[(index += 1)];
      if (option !== "--reporter" && optionValue) reportCopies.push(resolvePath(optionValue));
      continue;
    }
    if (option === "--transport") {
      if (value !== "tcp" && value !== "websocket") throw new Error(`--transport takes tcp or websocket, not '${value ?? ""}'`);
      transport = value;
      continue;
    }
    vitestArgs.push(arg);
  }
  return { vitestArgs, reportCopies, transport };
}

function runSuite(vitestArgs: string[], reportFile: string, env: Record<string, string>): Promise<number> {
  const args = [
    join(REPO_ROOT, "node_modules/vitest/vitest.mjs"),
    "run",
    "--config",
    "test/interop/vitest.config.ts",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${reportFile}`,
    ...vitestArgs,
  ];
  return new Promise((resolve) => {
    // Detached (own process group) so that the runner decides how the suite ends on Ctrl-C.
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: "inherit", env: { ...process.env, ...env }, detached: true });
    suite = child;
    const timer = setTimeout(() => {
      console.error(`the suite did not finish within ${SUITE_TIMEOUT} ms: stopping it`);
      if (child.pid) signalGroup(child.pid, "SIGKILL");
    }, SUITE_TIMEOUT);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      suite = undefined;
      resolve(code ?? (signal ? 1 : 0));
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      console.error(`could not run vitest: ${error.message}`);
      resolve(1);
    });
  });
}

/**
 * After a full run the recorded publishes replace the previous run's: none survives from an older
 * run, and a run that failed leaves none, since a failing scenario may have recorded half of them.
 */
async function replaceFixtures(staged: string | undefined): Promise<void> {
  await rm(FIXTURES, { recursive: true, force: true });
  await mkdir(FIXTURES, { recursive: true });
  if (!staged) return;
  for (const file of await readdir(staged)) await copyFile(join(staged, file), join(FIXTURES, file));
}

main()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    console.error(`\ninterop run FAILED: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
