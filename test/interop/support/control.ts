import type { ControlAction, RealServerName } from "../shared.js";
import { controlUrl } from "./env.js";

/** Asks the runner, which owns the server processes, to kill, stop or start one. */
export async function control(server: RealServerName, action: ControlAction): Promise<void> {
  const response = await fetch(`${controlUrl()}/${server}/${action}`, { method: "POST", signal: AbortSignal.timeout(180_000) });
  if (!response.ok) throw new Error(`runner could not ${action} ${server}: ${await response.text()}`);
}

/** The PID of the running server process, as the runner knows it (it changes with every start). */
export async function serverPid(server: RealServerName): Promise<number> {
  const response = await fetch(`${controlUrl()}/${server}/pid`, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`runner has no PID of ${server}: ${await response.text()}`);
  return Number(await response.text());
}
