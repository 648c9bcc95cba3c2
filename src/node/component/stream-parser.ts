import { EventEmitter } from "node:events";
import type { Element } from "../../protocol/index.js";
import { StreamParser } from "../../sim/xmpp-server/c2s/stream-parser.js";

/** What reaches a component over its link may be large (a server forwards what its users send), but not unbounded. */
const LINK_LIMITS = { maxStanzaSize: 16 * 1024 * 1024, maxDepth: Number.POSITIVE_INFINITY };

/**
 * The reference server's stream parser in the shape @xmpp/connection expects of a parser
 * (`write`, and `start` / `element` / `end` / `error` events), so that a component link gets
 * the same conformant, bounded parsing: ltx's parser throws out of the socket's data handler on
 * an undefined entity, which ends the process. Nesting is not limited here — one user's deep
 * stanza must not end the link for everyone; the link refuses such stanzas one by one instead.
 */
export class LinkStreamParser extends EventEmitter {
  readonly #parser: StreamParser;
  #root: Element | undefined;

  constructor() {
    super();
    this.#parser = new StreamParser("rfc6120", LINK_LIMITS, {
      header: (root) => {
        this.#root = root;
        this.emit("start", root);
      },
      element: (element) => {
        // As @xmpp/xml does: a stanza's namespace comes from the stream root.
        element.parent = this.#root ?? null;
        this.emit("element", element);
      },
      close: () => this.emit("end", this.#root),
      error: (error) => this.emit("error", error),
    });
  }

  write(data: string): void {
    this.#parser.write(data);
  }

  end(data?: string): void {
    if (data) this.write(data);
  }
}
