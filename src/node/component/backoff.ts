export interface ReconnectOptions {
  /** The first wait after a failure, ms (default 250). */
  minDelay?: number;
  /** The longest wait, ms (default 10 000). */
  maxDelay?: number;
  /** Failed attempts in a row before giving up (default: never give up). */
  maxAttempts?: number;
}

export interface Backoff {
  minDelay: number;
  maxDelay: number;
  maxAttempts: number;
}

export function resolveBackoff(options: ReconnectOptions = {}): Backoff {
  const minDelay = Math.max(1, options.minDelay ?? 250);
  return {
    minDelay,
    maxDelay: Math.max(minDelay, options.maxDelay ?? 10_000),
    maxAttempts: Math.max(1, options.maxAttempts ?? Number.POSITIVE_INFINITY),
  };
}

/** The wait before attempt `failures + 1`: doubles from `minDelay`, capped at `maxDelay`. */
export function backoffDelay(backoff: Backoff, failures: number): number {
  return Math.min(backoff.maxDelay, backoff.minDelay * 2 ** Math.max(0, failures - 1));
}

/** A sleep that `wake()` ends early. */
export function wakeableSleep(ms: number): { done: Promise<void>; wake(): void } {
  let wake = (): void => {};
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  return { done, wake };
}
