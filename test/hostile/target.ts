import { readFileSync } from "node:fs";
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

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
