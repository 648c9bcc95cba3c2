import { bareJid, type Element } from "../../protocol/index.js";

interface PendingRequest {
  /** The request's `to` and `from` as sent: only a reply from the one, to the other, answers it. */
  to: unknown;
  from: unknown;
  answered(reply: Element | undefined): void;
  deadline: number;
  expiry: Expiry;
}

/**
 * The requests sent with one timeout value. They expire in the order they were sent, so one
 * timer, armed for the oldest, serves them all: a timer per push publish was a measurable share
 * of the chain's cost.
 */
interface Expiry {
  readonly timeout: number;
  /** By id, oldest first (a Map keeps insertion order and deletes in O(1)). */
  readonly waiting: Map<string, PendingRequest>;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** IQ requests the server itself sent (push publishes, pings), waiting for their replies. */
export class ServerRequests {
  readonly #pending = new Map<string, PendingRequest>();
  readonly #expiries = new Map<number, Expiry>();

  /**
   * Calls `answered` with the reply as it is routed (synchronously, like any routing), or with
   * undefined after `timeout` ms or at `cancelAll()`.
   */
  expect(iq: Element, timeout: number, answered: (reply: Element | undefined) => void): void {
    const id = String(iq.attrs.id);
    this.#settle(id, undefined);
    let expiry = this.#expiries.get(timeout);
    if (!expiry) {
      expiry = { timeout, waiting: new Map(), timer: undefined };
      this.#expiries.set(timeout, expiry);
    }
    // A request that never gets an answer must not pin its entry forever.
    const pending: PendingRequest = { to: iq.attrs.to, from: iq.attrs.from, answered, deadline: Date.now() + timeout, expiry };
    this.#pending.set(id, pending);
    expiry.waiting.set(id, pending);
    expiry.timer ??= setTimeout(() => this.#expire(expiry), timeout);
  }

  /** Takes a result or error IQ that answers one of the requests; false for any other stanza. */
  claim(reply: Element): boolean {
    const id = reply.attrs.id;
    const pending = typeof id === "string" ? this.#pending.get(id) : undefined;
    if (!pending) return false;
    // Only the addressee may answer (mod_cloud_notify checks the same for publishes), from any of its resources.
    if (!sameBare(reply.attrs.from, pending.to) || !sameBare(reply.attrs.to, pending.from)) return false;
    this.#settle(id as string, reply);
    return true;
  }

  cancelAll(): void {
    for (const id of [...this.#pending.keys()]) this.#settle(id, undefined);
  }

  /** Times out every request of `expiry` past its deadline, then waits for the next oldest. */
  #expire(expiry: Expiry): void {
    expiry.timer = undefined;
    const now = Date.now();
    for (const [id, pending] of expiry.waiting) {
      if (pending.deadline > now) {
        expiry.timer = setTimeout(() => this.#expire(expiry), pending.deadline - now);
        return;
      }
      this.#settle(id, undefined);
    }
  }

  #settle(id: string, reply: Element | undefined): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    const { expiry } = pending;
    expiry.waiting.delete(id);
    if (expiry.waiting.size === 0 && expiry.timer !== undefined) {
      clearTimeout(expiry.timer);
      expiry.timer = undefined;
    }
    pending.answered(reply);
  }
}

/** Whether two addresses have the same bare JID; most replies carry the very strings the request had. */
function sameBare(a: unknown, b: unknown): boolean {
  return (a === b && typeof a === "string") || bareOrEmpty(a) === bareOrEmpty(b);
}

function bareOrEmpty(jid: unknown): string {
  if (typeof jid !== "string") return "";
  try {
    return bareJid(jid);
  } catch {
    return "";
  }
}
