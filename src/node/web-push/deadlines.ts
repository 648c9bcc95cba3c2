/** One wait that {@link Deadlines} ends unless it is settled first. */
export interface Deadline {
  /** The wait ended in time: its expiry will not run. */
  settle(): void;
}

interface Entry extends Deadline {
  readonly at: number;
  settled: boolean;
  readonly expire: () => void;
}

/** Below this many passed entries the queue is not compacted: shifting a short array costs more. */
const COMPACT_AFTER = 1024;

/**
 * Deadlines that all run for the same `timeout`, on one timer: since every wait lasts as long,
 * they expire in the order they were added, so a queue and a timer for its oldest unsettled
 * entry replace a timer (or an AbortSignal) per request. Settled entries are dropped lazily,
 * when the timer reaches them.
 */
export class Deadlines {
  readonly #timeout: number;
  readonly #now: () => number;
  #queue: Entry[] = [];
  #head = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(timeout: number, now: () => number = Date.now) {
    this.#timeout = timeout;
    this.#now = now;
  }

  /** Runs `expire` after `timeout` ms unless the returned deadline is settled before. */
  add(expire: () => void): Deadline {
    const entry: Entry = {
      at: this.#now() + this.#timeout,
      settled: false,
      expire,
      settle: () => {
        entry.settled = true;
      },
    };
    this.#queue.push(entry);
    if (this.#timer === undefined) this.#arm(entry.at);
    return entry;
  }

  #arm(at: number): void {
    this.#timer = setTimeout(() => this.#expireDue(), Math.max(0, at - this.#now()));
    // A request in flight keeps the process alive through its socket; the timer need not.
    this.#timer.unref();
  }

  #expireDue(): void {
    this.#timer = undefined;
    const now = this.#now();
    while (this.#head < this.#queue.length) {
      const entry = this.#queue[this.#head] as Entry;
      if (!entry.settled && entry.at > now) break;
      this.#head++;
      if (!entry.settled) {
        entry.settled = true;
        entry.expire();
      }
    }
    if (this.#head >= COMPACT_AFTER || this.#head === this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    const next = this.#queue[this.#head];
    // An expiry that added a wait has armed the timer already.
    if (next && this.#timer === undefined) this.#arm(next.at);
  }
}
