/**
 * At most `limit` tasks at once and `maxQueue` waiting; `tryRun` says false when both are full,
 * so the caller can refuse at once instead of holding memory for a flood.
 */
export class Slots {
  #running = 0;
  readonly #waiting: (() => void)[] = [];
  readonly #idle: (() => void)[] = [];

  constructor(
    private readonly limit: number,
    private readonly maxQueue: number,
  ) {}

  get running(): number {
    return this.#running;
  }

  get queued(): number {
    return this.#waiting.length;
  }

  tryRun(task: () => Promise<void>): boolean {
    if (this.#running >= this.limit && this.#waiting.length >= this.maxQueue) return false;
    const start = () => {
      this.#running += 1;
      void task()
        .catch(() => undefined)
        .finally(() => {
          this.#running -= 1;
          const next = this.#waiting.shift();
          if (next) next();
          else if (this.#running === 0) for (const resolve of this.#idle.splice(0)) resolve();
        });
    };
    if (this.#running < this.limit) start();
    else this.#waiting.push(start);
    return true;
  }

  idle(): Promise<void> {
    if (this.#running === 0 && this.#waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }
}
