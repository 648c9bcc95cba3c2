import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";

/** Clock ticks per second, the unit of utime/stime in /proc/<pid>/stat. */
const TICKS_PER_SECOND = ((): number => {
  try {
    const ticks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
    return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
})();

/** The fields after `(comm)` of a /proc/<pid>/stat line; comm may hold spaces and parentheses. */
function statFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/**
 * The live processes of process group `pgid` (the runner starts each real server as its own
 * group: ejabberd's Erlang VM with its helper, Prosody's Lua), read once before a measurement so
 * that the reading itself touches only their own stat files.
 */
export async function groupProcesses(pgid: number): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(await readFile(`/proc/${entry}/stat`, "utf8").catch(() => ""));
    if (fields[0] !== undefined && fields[0] !== "Z" && Number(fields[2]) === pgid) pids.push(Number(entry));
  }
  return pids;
}

/** User + system CPU of these processes (all their threads) so far, ms; a process that has ended counts 0. Synchronous, so it can be read inside a timed run. */
export function processCpuMs(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue;
    }
    const fields = statFields(stat);
    // utime and stime are fields 14 and 15 of stat, i.e. 12th and 13th after comm.
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** This process's user + system CPU so far, ms. */
export function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Resident memory of these processes now (VmRSS of /proc/<pid>/status), MiB; a process that has ended counts 0. */
export async function processRssMiB(pids: readonly number[]): Promise<number> {
  let kib = 0;
  for (const pid of pids) {
    const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
    kib += Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
  }
  return kib / 1024;
}
