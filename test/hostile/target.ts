import { existsSync, readFileSync } from "node:fs";
import type { Transport } from "./wire.js";

/** A server the hostile probes run against: the reference in-process, or a real one in its own process. */
export interface HostileTarget {
  readonly name: string;
  readonly domain: string;
  readonly password: string;
  /** Three accounts with `password`: the probes log in as the first two and write to the third. */
  readonly users: readonly [string, string, string];
  /** The listening address for a transport, or undefined when the target has none. */
  service(transport: Transport): string | undefined;
  /** The server process's resident memory in bytes, or undefined where it cannot be read. */
  rss(): number | undefined;
  /** Whether the server process still runs. */
  alive(): boolean;
  /** How long a probe waits for the server to end a connection it should end, ms. */
  readonly answerTimeout: number;
  /** How long one probe may take in all, ms: past it the probe counts as hung and its connections are cut. */
  readonly probeTimeout: number;
}

/** VmRSS of a process from /proc (Linux), in bytes. */
export function rssOfPid(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `pid` runs; a zombie (exited, not yet reaped by its parent) does not. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    // Gone meanwhile; or no /proc (not Linux), where the signal check is all there is.
    return !existsSync("/proc/self");
  }
  // pid (comm) state …; comm may contain spaces and parentheses.
  return stat.charAt(stat.lastIndexOf(")") + 2) !== "Z";
}
