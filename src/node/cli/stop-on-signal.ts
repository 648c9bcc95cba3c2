export type StopSignal = "SIGINT" | "SIGTERM";

export interface StopOutcome {
  signal: StopSignal;
  /** `stopped`: `stop` finished in time; `timed-out`: it did not, or a second signal came first; `failed`: it threw. */
  result: "stopped" | "timed-out" | "failed";
  error?: unknown;
}

/**
 * Runs `stop` on the first SIGINT or SIGTERM and reports once: when it settles, after `timeout`
 * ms, or at a second signal, whichever comes first — so the process never hangs on the way out.
 */
export function stopOnSignal(stop: () => Promise<void>, timeout: number, done: (outcome: StopOutcome) => void): void {
  let reported = false;
  const report = (outcome: StopOutcome) => {
    if (reported) return;
    reported = true;
    clearTimeout(timer);
    done(outcome);
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopping: StopSignal | undefined;

  const onSignal = (signal: StopSignal) => {
    if (stopping) {
      report({ signal: stopping, result: "timed-out" });
      return;
    }
    stopping = signal;
    timer = setTimeout(() => report({ signal, result: "timed-out" }), timeout);
    stop().then(
      () => report({ signal, result: "stopped" }),
      (error: unknown) => report({ signal, result: "failed", error }),
    );
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}
