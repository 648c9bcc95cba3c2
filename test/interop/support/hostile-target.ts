import { type HostileTarget, isRunning, rssOfPid } from "../../hostile/target.js";
import { DOMAIN, PASSWORD, type RealServerInfo, USERS } from "../shared.js";

/** Longer than the reference's: a real server's own timeouts are minutes, and an answer that takes this long is no answer. */
export const REAL_ANSWER_TIMEOUT = 5_000;
/** Enough for 1,000 wrong passwords at ~25 ms each, twice over. */
export const REAL_PROBE_TIMEOUT = 60_000;

/** A real server process (its PID from the runner) as a target of the hostile probes. */
export function realHostileTarget(info: RealServerInfo, pid: number): HostileTarget {
  return {
    name: info.name,
    domain: DOMAIN,
    password: PASSWORD,
    users: USERS,
    service: (transport) => (transport === "tcp" ? info.tcp : info.websocket),
    rss: () => rssOfPid(pid),
    alive: () => isRunning(pid),
    answerTimeout: REAL_ANSWER_TIMEOUT,
    probeTimeout: REAL_PROBE_TIMEOUT,
  };
}
