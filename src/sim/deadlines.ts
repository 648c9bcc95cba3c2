/** One wait that {@link Deadlines} ends unless it is settled first. */
export interface Deadline {
  /** The wait ended in time: its expiry will not run. */
  settle(): void;
}

interface Entry extends Deadline {
  readonly at: number;
  readonly expire: () => void;
}

/**
 * Deadlines that all run for the same `timeout`, on one timer: since every wait lasts as long,
 * they expire in the order they were added, so a queue and a timer for its oldest entry replace
 * a timer (or an AbortSignal) per request — the server's push publishes and the Web Push
 * provider's requests both wait this way. A settled wait leaves the queue at once.
 */
export class Deadlines {
  readonly #timeout: number;
  readonly #now: () => number;
  /** Oldest first: a Set keeps insertion order and deletes in O(1). */
  readonly #waiting = new Set<Entry>();
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(timeout: number, now: () => number = Date.now) {
    this.#timeout = timeout;
    this.#now = now;
  }

  /** Runs `expire` after `timeout` ms unless the returned deadline is settled before. */
  add(expire: () => void): Deadline {
    const entry: Entry = {
      at: this.#now() + this.#timeout,
      expire,
      settle: () => {
        if (this.#waiting.delete(entry) && this.#waiting.size === 0) this.#disarm();
      },
    };
    this.#waiting.add(entry);
    if (this.#timer === undefined) this.#arm(entry.at);
    return entry;
  }

  #arm(at: number): void {
    this.#timer = setTimeout(() => this.#expireDue(), Math.max(0, at - this.#now()));
    // Whatever waits keeps the process alive through its own socket or link; the timer need not.
    this.#timer.unref?.();
  }

  #disarm(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #expireDue(): void {
    this.#timer = undefined;
    const now = this.#now();
    for (const entry of this.#waiting) {
      if (entry.at > now) {
        // An expiry that added a wait has armed the timer already.
        if (this.#timer === undefined) this.#arm(entry.at);
        return;
      }
      this.#waiting.delete(entry);
      entry.expire();
    }
  }
}
