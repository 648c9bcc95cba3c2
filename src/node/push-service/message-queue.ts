import type { NextMessageOptions, ReceivedPushMessage } from "./types.js";

const DEFAULT_WAIT_TIMEOUT = 3000;

interface Waiter {
  endpoint: string | undefined;
  resolve(message: ReceivedPushMessage): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Accepted messages and which of them the user agent has not taken yet. A new message with the
 * `Topic` of a pending one to the same subscription replaces it (RFC 8030 §5.4).
 */
export class MessageQueue {
  readonly messages: ReceivedPushMessage[] = [];
  readonly #pending: ReceivedPushMessage[] = [];
  readonly #waiters = new Set<Waiter>();

  add(message: ReceivedPushMessage): void {
    if (message.topic !== undefined) {
      const replaced = this.#pending.find((pending) => pending.endpoint === message.endpoint && pending.topic === message.topic);
      if (replaced) {
        remove(this.#pending, replaced);
        remove(this.messages, replaced);
      }
    }
    this.messages.push(message);
    const waiter = [...this.#waiters].find((candidate) => candidate.endpoint === undefined || candidate.endpoint === message.endpoint);
    if (waiter) {
      this.#settle(waiter);
      waiter.resolve(message);
    } else {
      this.#pending.push(message);
    }
  }

  pending(endpoint?: string): ReceivedPushMessage[] {
    return this.#pending.filter((message) => endpoint === undefined || message.endpoint === endpoint);
  }

  next(options: NextMessageOptions = {}): Promise<ReceivedPushMessage> {
    const { endpoint } = options;
    const ready = this.#pending.find((message) => endpoint === undefined || message.endpoint === endpoint);
    if (ready) {
      remove(this.#pending, ready);
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

  #settle(waiter: Waiter): void {
    clearTimeout(waiter.timer);
    this.#waiters.delete(waiter);
  }
}

function remove<T>(list: T[], item: T): void {
  const index = list.indexOf(item);
  if (index !== -1) list.splice(index, 1);
}
