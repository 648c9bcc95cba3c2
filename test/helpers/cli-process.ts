import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** From source: `npm test` runs before any build. */
const ENTRY = "src/node/cli/main.ts";

export interface CliLine {
  event: string;
  time: string;
  [field: string]: unknown;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** xmpp-push-sim as a child process, its stdout read as JSON lines. */
export class CliProcess {
  readonly child: ChildProcess;
  readonly lines: CliLine[] = [];
  /** stdout lines that are not JSON: there should be none. */
  readonly malformed: string[] = [];
  stdout = "";
  stderr = "";
  readonly #waiters = new Set<() => void>();
  readonly #exit: Promise<Exit>;

  /** `nodeFlags` go to node itself, before the entry (e.g. V8 heap settings). */
  constructor(args: string[], nodeFlags: string[] = []) {
    this.child = spawn(process.execPath, [...nodeFlags, "--import", "tsx", ENTRY, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    this.#exit = new Promise((resolve) => this.child.once("close", (code, signal) => resolve({ code, signal })));
    this.child.stderr?.on("data", (chunk: Buffer) => (this.stderr += chunk.toString()));
    createInterface({ input: this.child.stdout! }).on("line", (line) => {
      this.stdout += `${line}\n`;
      try {
        this.lines.push(JSON.parse(line) as CliLine);
      } catch {
        this.malformed.push(line);
      }
      for (const wake of this.#waiters) wake();
    });
  }

  /** The first line, printed already or to come, with this event and these field values. */
  line(event: string, fields: Record<string, unknown> = {}, timeout = 5_000): Promise<CliLine> {
    const matches = (line: CliLine) => line.event === event && Object.entries(fields).every(([key, value]) => line[key] === value);
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.lines.find(matches);
        if (!found) return;
        settle();
        resolve(found);
      };
      const timer = setTimeout(() => {
        settle();
        reject(new Error(`no ${event} line ${JSON.stringify(fields)} within ${timeout} ms; stdout:\n${this.stdout}stderr:\n${this.stderr}`));
      }, timeout);
      const settle = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
      check();
    });
  }

  exited(timeout = 5_000): Promise<Exit> {
    return Promise.race([
      this.#exit,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still running after ${timeout} ms; stderr:\n${this.stderr}`)), timeout).unref()),
    ]);
  }

  /** For afterAll: whatever happened in the test, no child outlives it. */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
  }
}
