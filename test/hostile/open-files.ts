import { execFileSync } from "node:child_process";

/** How many files this process (and the server it starts) may open: the soft `ulimit -n`. */
export function openFilesLimit(): number {
  try {
    const limit = execFileSync("/bin/sh", ["-c", "ulimit -n"], { encoding: "utf8" }).trim();
    return limit === "unlimited" ? Number.POSITIVE_INFINITY : Number(limit);
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}
