import { type ChildProcess, execFile, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";

/** A server started by the runner, in its own process group so that Ctrl-C reaches only the runner, which stops it. */
export class ServerProcess {
  readonly pid: number;
  readonly exited: Promise<void>;
  #exit: string | undefined;
  #groupGone = false;
  readonly #child: ChildProcess;

  constructor(
    readonly name: string,
    command: string,
    args: string[],
    options: { cwd: string; env?: NodeJS.ProcessEnv; logFile: string },
  ) {
    const log = openSync(options.logFile, "a");
    this.#child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, detached: true, stdio: ["ignore", log, log] });
    closeSync(log);
    if (this.#child.pid === undefined) throw new Error(`could not start ${command}`);
    this.pid = this.#child.pid;
    this.exited = new Promise((resolve) => {
      this.#child.once("exit", (code, signal) => {
        this.#exit = signal ? `killed by ${signal}` : `exit code ${String(code)}`;
        resolve();
      });
      this.#child.once("error", (error) => {
        this.#exit = error.message;
        resolve();
      });
    });
  }

  get running(): boolean {
    return this.#exit === undefined;
  }

  /** Why the process ended, or undefined while it runs. */
  get exitReason(): string | undefined {
    return this.#exit;
  }

  /**
   * SIGTERM, then SIGKILL if anything of it is still there after `grace` ms; resolves once the
   * whole group is gone (or after 5 s more). The group matters: ejabberdctl's shell exits at
   * once while the Erlang VM it started is still shutting down.
   */
  async stop(grace = 10_000): Promise<void> {
    this.signal("SIGTERM");
    if (await this.#goneWithin(grace)) return;
    this.signal("SIGKILL");
    await this.#goneWithin(5_000);
  }

  /** SIGKILL at once, as a crash would end it; resolves once the whole group is gone. */
  async kill(): Promise<void> {
    this.signal("SIGKILL");
    await this.#goneWithin(5_000);
  }

  /** Signals the whole process group (the server and anything it spawned), which has our child's PID as its id. */
  signal(signal: NodeJS.Signals): void {
    // Once the group is known to be empty its id may be reused by someone else's processes.
    if (this.#groupGone) return;
    try {
      process.kill(-this.pid, signal);
    } catch {
      // Already gone.
    }
  }

  async #goneWithin(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (this.#exit === undefined || (await groupAlive(this.pid))) {
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    this.#groupGone = true;
    return true;
  }
}

/** Whether a live (non-zombie) process is left in process group `pgid`: containers often leave orphaned zombies unreaped. */
async function groupAlive(pgid: number): Promise<boolean> {
  let entries: string[];
  try {
    entries = await readdir("/proc");
  } catch {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    // pid (comm) state ppid pgrp …; comm may contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[0] !== "Z" && Number(fields[2]) === pgid) return true;
  }
  return false;
}

/** Runs a short command to completion; rejects with its output when it fails or exceeds `timeout` ms. */
export function runCommand(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd: options.cwd, env: options.env ?? process.env, timeout: options.timeout ?? 60_000, encoding: "utf8" }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`.trim();
      if (error) reject(new Error(`${command} ${args.join(" ")} failed (${error.killed ? "timed out" : error.message.split("\n")[0]}):\n${output}`));
      else resolve(output);
    });
  });
}

/** The last lines of a log file, for error messages. */
export function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}
