import { type Element, NS, randomHex, xml } from "../../protocol/index.js";
import { ComponentLinkError } from "./errors.js";

export interface KeepAliveOptions {
  /** The component's domain: the pings' `from`. */
  from: string;
  /** The server's domain: the pings' `to`. */
  to: string;
  /** Silence from the server, ms, after which a ping goes out. */
  idle: number;
  /** How long the ping may stay unanswered, ms, before the link counts as lost. */
  timeout: number;
  send(ping: Element): void;
  lost(reason: ComponentLinkError): void;
}

/**
 * Watches one established link: after `idle` ms without a byte from the server, an XEP-0199
 * ping goes to the server's domain; anything that arrives before `timeout` (the answer, result
 * or error, or any other traffic) proves the server alive. A server that hangs with the TCP
 * connection open, or a NAT that silently dropped it, would otherwise leave the link "online"
 * forever. The timers never keep the process alive.
 */
export class KeepAlive {
  readonly #options: KeepAliveOptions;
  /** Every ping's id starts with it, so that a late answer is recognised and not handed to the component. */
  readonly #prefix = `keepalive-${randomHex(6)}-`;
  readonly #idle: ReturnType<typeof setTimeout>;
  #deadline: ReturnType<typeof setTimeout> | undefined;
  #sent = 0;
  #stopped = false;

  constructor(options: KeepAliveOptions) {
    this.#options = options;
    this.#idle = setTimeout(() => this.#ping(), options.idle);
    this.#idle.unref();
  }

  /** The server sent something: it is alive; the idle wait starts again. */
  heard(): void {
    if (this.#stopped) return;
    this.#clearDeadline();
    this.#idle.refresh();
  }

  /** True for the server's answer (result or error) to one of these pings, which is the link's own business. */
  claims(stanza: Element): boolean {
    const { type, id } = stanza.attrs;
    return stanza.name === "iq" && (type === "result" || type === "error") && typeof id === "string" && id.startsWith(this.#prefix);
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#idle);
    this.#clearDeadline();
  }

  #ping(): void {
    if (this.#stopped) return;
    const { from, to, timeout } = this.#options;
    this.#sent += 1;
    const id = `${this.#prefix}${this.#sent}`;
    this.#deadline = setTimeout(() => {
      this.stop();
      this.#options.lost(new ComponentLinkError("keepalive-timeout", `${to} did not answer a ping within ${timeout} ms after ${this.#options.idle} ms of silence`));
    }, timeout);
    this.#deadline.unref();
    this.#options.send(xml("iq", { type: "get", id, from, to }, xml("ping", { xmlns: NS.ping })));
  }

  #clearDeadline(): void {
    if (!this.#deadline) return;
    clearTimeout(this.#deadline);
    this.#deadline = undefined;
  }
}
