import { bareJid, type Element } from "../../protocol/index.js";

interface PendingRequest {
  /** The request's `to` and `from`: only a reply from the one, to the other, answers it. */
  peer: string;
  self: string;
  answered(reply: Element | undefined): void;
  timer: ReturnType<typeof setTimeout>;
}

/** IQ requests the server itself sent (push publishes, pings), waiting for their replies. */
export class ServerRequests {
  readonly #pending = new Map<string, PendingRequest>();

  /**
   * Calls `answered` with the reply as it is routed (synchronously, like any routing), or with
   * undefined after `timeout` ms or at `cancelAll()`.
   */
  expect(iq: Element, timeout: number, answered: (reply: Element | undefined) => void): void {
    const id = String(iq.attrs.id);
    // A request that never gets an answer must not pin its entry forever.
    const timer = setTimeout(() => this.#settle(id, undefined), timeout);
    this.#pending.set(id, { peer: bareOrEmpty(iq.attrs.to), self: bareOrEmpty(iq.attrs.from), answered, timer });
  }

  /** Takes a result or error IQ that answers one of the requests; false for any other stanza. */
  claim(reply: Element): boolean {
    const id = reply.attrs.id;
    const pending = typeof id === "string" ? this.#pending.get(id) : undefined;
    if (!pending) return false;
    // Only the addressee may answer (mod_cloud_notify checks the same for publishes).
    if (bareOrEmpty(reply.attrs.from) !== pending.peer || bareOrEmpty(reply.attrs.to) !== pending.self) return false;
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
    clearTimeout(pending.timer);
    pending.answered(reply);
  }
}

function bareOrEmpty(jid: unknown): string {
  if (typeof jid !== "string") return "";
  try {
    return bareJid(jid);
  } catch {
    return "";
  }
}
