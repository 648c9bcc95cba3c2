import { appendFileSync } from "node:fs";
import type { ProbeRecord } from "../shared.js";
import { probesFile } from "./env.js";

/** Hands one probe's outcome to the runner, which turns them into the robustness table. */
export function recordProbe(record: ProbeRecord): void {
  appendFileSync(probesFile(), `${JSON.stringify(record)}\n`);
}
