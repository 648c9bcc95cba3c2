import { type Element, Emitter } from "../protocol/index.js";
import { type Component, type SendStanza, sendThrough } from "./component.js";

/**
 * A component that only answers IQ requests (the app server, the pubsub service): it links to the
 * server, answers every get and set with `handleIq`, and drops everything else.
 */
export abstract class RequestComponent<Events extends Record<string, unknown[]>> extends Emitter<Events> implements Component {
  abstract readonly jid: string;
  /** Its replies and requests are built per send and dropped after it (subclasses keep to that). */
  readonly sendsFreshStanzas = true;
  #send: SendStanza | undefined;

  /** Answers a request IQ with a result or error IQ; never rejects. */
  abstract handleIq(iq: Element): Promise<Element>;

  connect(send: SendStanza): () => void {
    this.#send = send;
    return () => {
      if (this.#send === send) this.#send = undefined;
    };
  }

  /** Routes a stanza of the component's own (a notification, a request) through the server; false when unlinked. */
  protected send(stanza: Element): boolean {
    return sendThrough(this.#send, stanza);
  }

  receive(stanza: Element): void {
    const type = stanza.attrs.type;
    if (stanza.name !== "iq" || (type !== "get" && type !== "set")) return;
    void this.handleIq(stanza).then((reply) => {
      try {
        this.#send?.(reply);
      } catch {
        // A broken link loses the reply, as a dead socket would; the requester times out.
      }
    });
  }
}
