import { attr, type Element, NS, randomHex, xml } from "../../../src/protocol/index.js";
import type { AppServer, Component, SendStanza } from "../../../src/sim/index.js";

/**
 * Sits between the server and the app server: records every stanza the app server receives and
 * can hold requests back (to keep a client's request pending) or ping through the same link.
 */
export class Tap implements Component {
  readonly jid: string;
  /** Every stanza the app server received, in order. */
  readonly received: Element[] = [];
  readonly #appServer: AppServer;
  readonly #pings = new Map<string, () => void>();
  #send: SendStanza | undefined;
  #holding = false;

  constructor(appServer: AppServer) {
    this.jid = appServer.jid;
    this.#appServer = appServer;
  }

  receive(stanza: Element): void {
    const ping = this.#pings.get(attr(stanza, "id") ?? "");
    if (stanza.name === "iq" && ping) return ping();
    this.received.push(stanza);
    if (!this.#holding) this.#appServer.receive(stanza);
  }

  connect(send: SendStanza): () => void {
    this.#send = send;
    const unlink = this.#appServer.connect(send);
    return () => {
      if (this.#send === send) this.#send = undefined;
      unlink();
    };
  }

  /** While on, stanzas are recorded but never reach the app server, so nothing answers them. */
  hold(on: boolean): void {
    this.#holding = on;
  }

  /** Publishes received for `node`. */
  publishesTo(node: string): Element[] {
    return this.received.filter((stanza) => stanza.name === "iq" && publishNode(stanza) === node);
  }

  /**
   * Pings `server` through the link and waits for the answer: a server reads one link in order,
   * so once the answer is back it has also read every reply the app server sent before.
   */
  flush(server: string, timeout = 10_000): Promise<void> {
    const send = this.#send;
    if (!send) return Promise.reject(new Error("the tap is not linked"));
    const id = `flush-${randomHex(6)}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pings.delete(id);
        reject(new Error(`no answer to a ping through the link within ${timeout} ms`));
      }, timeout);
      this.#pings.set(id, () => {
        clearTimeout(timer);
        this.#pings.delete(id);
        resolve();
      });
      send(xml("iq", { type: "get", id, to: server, from: this.jid }, xml("ping", { xmlns: NS.ping })));
    });
  }
}

export function publishNode(stanza: Element): string | undefined {
  const publish = stanza.getChild("pubsub", NS.pubsub)?.getChild("publish");
  return publish ? attr(publish, "node") : undefined;
}
