import { bareJid, type Element } from "../../protocol/index.js";
import { type Deadline, Deadlines } from "../deadlines.js";

interface PendingRequest {
  /** The request's `to` and `from` as sent: only a reply from the one, to the other, answers it. */
  to: unknown;
  from: unknown;
  answered(reply: Element | undefined): void;
  deadline: Deadline;
}

/** IQ requests the server itself sent (push publishes, pings), waiting for their replies. */
export class ServerRequests {
  readonly #pending = new Map<string, PendingRequest>();
  /** One timer per timeout value rather than one per request: a timer per push publish was a measurable share of the chain. */
  readonly #deadlines = new Map<number, Deadlines>();

  /**
   * Calls `answered` with the reply as it is routed (synchronously, like any routing), or with
   * undefined after `timeout` ms or at `cancelAll()`. A repeated id times the earlier request out.
   */
  expect(iq: Element, timeout: number, answered: (reply: Element | undefined) => void): void {
    const id = String(iq.attrs.id);
    this.#settle(id, undefined);
    let deadlines = this.#deadlines.get(timeout);
    if (!deadlines) this.#deadlines.set(timeout, (deadlines = new Deadlines(timeout)));
    // A request that never gets an answer must not pin its entry forever.
    const deadline = deadlines.add(() => this.#settle(id, undefined));
    this.#pending.set(id, { to: iq.attrs.to, from: iq.attrs.from, answered, deadline });
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

  #settle(id: string, reply: Element | undefined): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    pending.deadline.settle();
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
