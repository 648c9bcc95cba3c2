import { CliProcess } from "../helpers/cli-process.js";
import { type HostileTarget, isRunning, rssOfPid } from "./target.js";

/** xmpp-push-sim's arguments, and node's flags before them (also for reports). */
export const REFERENCE_ARGS: readonly string[] = ["--tcp-port", "0", "--ws-port", "0", "--user", "alice:pw", "--user", "bob:pw", "--user", "carol:pw", "--auth-timeout", "2000"];
// A small nursery: V8 otherwise grows its young generation by ~14 MiB at the first burst of
// garbage, once, which would hide what the server itself holds.
export const REFERENCE_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=1"];

export interface ReferenceProcess {
  readonly cli: CliProcess;
  readonly target: HostileTarget;
}

/** The reference server as its own process (xmpp-push-sim) with users alice, bob and carol (password "pw"), as a hostile target. */
export async function startReferenceProcess(): Promise<ReferenceProcess> {
  const cli = new CliProcess([...REFERENCE_ARGS], [...REFERENCE_NODE_FLAGS]);
  const listening = await cli.line("listening", {}, 15_000);
  const pid = Number(listening.pid);
  const target: HostileTarget = {
    name: "reference",
    domain: String(listening.domain),
    password: "pw",
    users: ["alice", "bob", "carol"],
    service: (transport) => String(transport === "tcp" ? listening.tcp : listening.websocket),
    rss: () => rssOfPid(pid),
    alive: () => isRunning(pid) && cli.child.exitCode === null,
    answerTimeout: 4000,
    probeTimeout: 45_000,
  };
  return { cli, target };
}
