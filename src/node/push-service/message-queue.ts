import { keepLatest } from "../../sim/recent-records.js";
import type { NextMessageOptions, ReceivedPushMessage } from "./types.js";

const DEFAULT_WAIT_TIMEOUT = 3000;

interface Waiter {
  endpoint: string | undefined;
  resolve(message: ReceivedPushMessage): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Accepted messages (the latest `messageLimit`) and which of them the user agent has not taken
 * yet (at most `pendingLimit` per subscription). A new message with the `Topic` of a pending one
 * to the same subscription replaces it (RFC 8030 §5.4).
 */
export class MessageQueue {
  readonly messages: ReceivedPushMessage[] = [];
  readonly #pending: ReceivedPushMessage[] = [];
  /** Pending messages per endpoint. */
  readonly #pendingCount = new Map<string, number>();
  readonly #waiters = new Set<Waiter>();

  constructor(
    private readonly limits: { pending: number; messages: number },
  ) {}

  /** Whether a message to `endpoint` would be stored: not when the subscription already holds `pendingLimit` (one replacing a pending one by its Topic always is). */
  hasRoom(endpoint: string, topic: string | undefined): boolean {
    if ((this.#pendingCount.get(endpoint) ?? 0) < this.limits.pending) return true;
    return topic !== undefined && this.#pending.some((pending) => pending.endpoint === endpoint && pending.topic === topic);
  }

  add(message: ReceivedPushMessage): void {
    if (message.topic !== undefined) {
      const replaced = this.#pending.find((pending) => pending.endpoint === message.endpoint && pending.topic === message.topic);
      if (replaced) {
        this.#take(replaced);
        remove(this.messages, replaced);
      }
    }
    keepLatest(this.messages, message, this.limits.messages);
    const waiter = [...this.#waiters].find((candidate) => candidate.endpoint === undefined || candidate.endpoint === message.endpoint);
    if (waiter) {
      this.#settle(waiter);
      waiter.resolve(message);
    } else {
      this.#pending.push(message);
      this.#pendingCount.set(message.endpoint, (this.#pendingCount.get(message.endpoint) ?? 0) + 1);
    }
  }

  pending(endpoint?: string): ReceivedPushMessage[] {
    return this.#pending.filter((message) => endpoint === undefined || message.endpoint === endpoint);
  }

  next(options: NextMessageOptions = {}): Promise<ReceivedPushMessage> {
    const { endpoint } = options;
    const ready = this.#pending.find((message) => endpoint === undefined || message.endpoint === endpoint);
    if (ready) {
      this.#take(ready);
      return Promise.resolve(ready);
    }
    return new Promise((resolve, reject) => {
      const timeout = options.timeout ?? DEFAULT_WAIT_TIMEOUT;
      const waiter: Waiter = {
        endpoint,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#settle(waiter);
          reject(new Error(`no push message${endpoint === undefined ? "" : ` to ${endpoint}`} within ${timeout} ms`));
        }, timeout),
      };
      this.#waiters.add(waiter);
    });
  }

  /** Rejects every wait, e.g. when the service closes. */
  abandon(reason: string): void {
    for (const waiter of [...this.#waiters]) {
      this.#settle(waiter);
      waiter.reject(new Error(reason));
    }
  }

  #take(message: ReceivedPushMessage): void {
    remove(this.#pending, message);
    const left = (this.#pendingCount.get(message.endpoint) ?? 1) - 1;
    if (left > 0) this.#pendingCount.set(message.endpoint, left);
    else this.#pendingCount.delete(message.endpoint);
  }

  #settle(waiter: Waiter): void {
    clearTimeout(waiter.timer);
    this.#waiters.delete(waiter);
  }
}

function remove<T>(list: T[], item: T): void {
  const index = list.indexOf(item);
  if (index !== -1) list.splice(index, 1);
}
