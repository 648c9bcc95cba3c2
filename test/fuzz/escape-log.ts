/**
 * Exceptions that escaped the code under test: internal-error events (a handler threw), throws
 * out of `receive`/`disconnected`, unhandled promise rejections and exceptions thrown in timers.
 * Any of them is a bug; the log counts them for the whole run and keeps the latest for the report.
 */
export class EscapeLog {
  internalErrors = 0;
  throws = 0;
  unhandledRejections = 0;
  uncaughtExceptions = 0;
  readonly #recent: string[] = [];

  get total(): number {
    return this.internalErrors + this.throws + this.unhandledRejections + this.uncaughtExceptions;
  }

  /** The last few escapes, described with their stacks. */
  get recent(): readonly string[] {
    return this.#recent;
  }

  internalError(error: unknown, context: string): void {
    this.internalErrors++;
    this.#remember(`internal-error ${context}: ${describe(error)}`);
  }

  thrown(error: unknown, context: string): void {
    this.throws++;
    this.#remember(`thrown from ${context}: ${describe(error)}`);
  }

  unhandledRejection(reason: unknown): void {
    this.unhandledRejections++;
    this.#remember(`unhandled rejection: ${describe(reason)}`);
  }

  uncaughtException(error: unknown): void {
    this.uncaughtExceptions++;
    this.#remember(`uncaught exception: ${describe(error)}`);
  }

  #remember(line: string): void {
    this.#recent.push(line);
    if (this.#recent.length > 5) this.#recent.shift();
  }
}

export function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
}

/** Counts unhandled rejections into `log` until the returned function is called. */
export function watchUnhandledRejections(log: EscapeLog): () => void {
  const listener = (reason: unknown): void => log.unhandledRejection(reason);
  process.on("unhandledRejection", listener);
  return () => {
    process.off("unhandledRejection", listener);
  };
}

/** Counts exceptions thrown where nothing catches them (a server timer) instead of crashing, for the fuzz run. */
export function watchUncaughtExceptions(log: EscapeLog): () => void {
  const listener = (error: unknown): void => log.uncaughtException(error);
  process.on("uncaughtException", listener);
  return () => {
    process.off("uncaughtException", listener);
  };
}
