import { attr, type Element } from "../../protocol/index.js";

interface Waiter {
  resolve(reply: Element | undefined): void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Pairs an IQ request handed to the linked component with the reply the component sends back,
 * so that the reply leaves through @xmpp/component's IQ callee (which answers every request
 * exactly once) instead of being sent beside it.
 */
export class IqBridge {
  readonly #waiters = new Map<string, Waiter>();

  /** Resolves with the component's reply to `request`, or undefined after `timeout` ms or `cancelAll()`. */
  expect(request: Element, timeout: number): Promise<Element | undefined> {
    const key = keyOf(attr(request, "from"), attr(request, "id"));
    return new Promise((resolve) => {
      this.#waiters.get(key)?.resolve(undefined);
      const timer = setTimeout(() => this.#settle(key, undefined), timeout);
      this.#waiters.set(key, { resolve, timer });
    });
  }

  /** Takes `stanza` if it answers a pending request; false for anything else. */
  claim(stanza: Element): boolean {
    const type = stanza.attrs.type;
    if (stanza.name !== "iq" || (type !== "result" && type !== "error")) return false;
    const key = keyOf(attr(stanza, "to"), attr(stanza, "id"));
    if (!this.#waiters.has(key)) return false;
    this.#settle(key, stanza);
    return true;
  }

  cancelAll(): void {
    for (const key of [...this.#waiters.keys()]) this.#settle(key, undefined);
  }

  #settle(key: string, reply: Element | undefined): void {
    const waiter = this.#waiters.get(key);
    if (!waiter) return;
    this.#waiters.delete(key);
    clearTimeout(waiter.timer);
    waiter.resolve(reply);
  }
}

function keyOf(peer: string | undefined, id: string | undefined): string {
  return `${peer ?? ""}\u0000${id ?? ""}`;
}
