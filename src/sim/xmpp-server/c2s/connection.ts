import { type Element, randomHex } from "../../../protocol/index.js";
import type { PendingConnection } from "../../transport/admission.js";
import type { ClientLink, ServerSession } from "../../transport/link.js";
import { macrotask } from "../../transport/macrotask.js";
import type { ServerHost } from "../host.js";
import { rfc6120, rfc7395, type StreamFraming } from "./framing.js";
import { Session } from "./session.js";
import { buildStreamError, StreamError } from "./stream-error.js";
import { StreamParser } from "./stream-parser.js";

/** In a `u` regular expression a surrogate pair is one code point: only a lone surrogate is of category Cs. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * One client connection: bytes in, elements out, under the server's limits. It owns the framing,
 * the parser, the authentication deadline and the listener's admission slot; what the elements
 * mean is its session's business. After an XEP-0198 resumption it serves another session.
 */
export class Connection implements ServerSession, PendingConnection {
  session: Session;
  readonly #link: ClientLink;
  readonly #host: ServerHost;
  readonly #framing: StreamFraming;
  #parser: StreamParser;
  #decoder: TextDecoder | undefined;
  #authTimer: ReturnType<typeof setTimeout> | undefined;
  #headerSent = false;
  #closed = false;
  /** The high half of a surrogate pair that ended the last string. */
  #carried = "";

  constructor(link: ClientLink, host: ServerHost) {
    this.#link = link;
    this.#host = host;
    this.#framing = link.framing === "rfc6120" ? rfc6120 : rfc7395;
    this.#parser = this.#createParser();
    this.session = new Session(host, this);
    link.admission?.admit(this);
    const { authTimeout } = host.limits;
    this.#authTimer = setTimeout(() => this.session.streamError(new StreamError("connection-timeout", `not authenticated within ${authTimeout / 1000} s`)), authTimeout);
  }

  get secure(): boolean {
    return this.#link.secure;
  }

  receive(data: string | Uint8Array): void {
    if (this.#closed) return;
    if (typeof data !== "string") {
      let text: string;
      try {
        text = (this.#decoder ??= new TextDecoder("utf-8", { fatal: true })).decode(data, { stream: true });
      } catch {
        this.session.streamError(new StreamError("not-well-formed", "invalid UTF-8"));
        return;
      }
      this.#feed(text);
      return;
    }
    const { text, loneSurrogateAt } = this.#wholeCharacters(data);
    // What came before the lone surrogate counts, however the text was cut into strings.
    this.#feed(loneSurrogateAt === -1 ? text : text.slice(0, loneSurrogateAt));
    if (loneSurrogateAt !== -1) this.session.streamError(new StreamError("not-well-formed", "a lone surrogate is no character"));
  }

  #feed(text: string): void {
    try {
      this.#parser.write(text);
    } catch (error) {
      this.#host.emit("internal-error", error, undefined);
      this.session.streamError(new StreamError("internal-server-error"));
    }
  }

  /**
   * Text handed over as strings (the in-memory transport) can hold what no UTF-8 stream can, a
   * lone surrogate, and a pair can be split between two strings: the high half waits for the next.
   */
  #wholeCharacters(data: string): { text: string; loneSurrogateAt: number } {
    let text = this.#carried + data;
    this.#carried = "";
    const last = text.charCodeAt(text.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      this.#carried = text.slice(-1);
      text = text.slice(0, -1);
    }
    return { text, loneSurrogateAt: text.search(LONE_SURROGATE) };
  }

  disconnected(): void {
    if (this.#closed) return;
    this.#release();
    this.session.connectionLost(this);
  }

  evict(): void {
    this.session.streamError(new StreamError("resource-constraint", "too many connections are waiting to authenticate"));
  }

  /** Answers the client's stream header with the server's. */
  openStream(): void {
    if (this.#headerSent || this.#closed) return;
    this.#headerSent = true;
    this.#link.send(this.#framing.header({ from: this.#host.domain, id: randomHex(8), version: "1.0", "xml:lang": "en" }));
  }

  send(element: Element): void {
    if (!this.#closed) this.#link.send(element.toString());
  }

  whenWritable(ready: () => void): void {
    if (this.#link.whenWritable) this.#link.whenWritable(ready);
    // The in-memory transport hands over what was sent on the next macrotask: after that, it is out.
    else macrotask(ready);
  }

  /**
   * Authentication succeeded: no deadline, no admission slot, and (RFC 6120 SASL) the client restarts the stream —
   * over RFC 6120 with a new document. It may not send anything before it has read `<success/>`
   * (RFC 6120 §6.4.6), so nothing of the old document is carried over.
   */
  authenticated(restart: boolean): void {
    clearTimeout(this.#authTimer);
    this.#link.admission?.release(this);
    // XEP-0388 authenticates without a restart: the same document goes on.
    if (!restart) return;
    this.#headerSent = false;
    if (!this.#framing.freshParserOnRestart) return;
    this.#parser.stop();
    this.#parser = this.#createParser();
  }

  /** Ends the stream with an RFC 6120 §4.9 stream error (after a header, if none went out yet). */
  sendStreamError(error: StreamError): void {
    if (this.#closed) return;
    this.openStream();
    this.#link.send(buildStreamError(error).toString());
    this.close();
  }

  /** Closes the stream and the connection from the server side. */
  close(): void {
    if (this.#closed) return;
    this.#link.send(this.#framing.footer());
    this.#release();
    this.#link.close();
  }

  #release(): void {
    this.#closed = true;
    clearTimeout(this.#authTimer);
    this.#link.admission?.release(this);
    this.#parser.stop();
    this.#host.released(this);
  }

  #createParser(): StreamParser {
    return new StreamParser(this.#framing.name, this.#host.limits, {
      header: (open) => this.session.streamOpened(open),
      element: (element) => this.session.receive(element),
      close: () => this.session.close(),
      error: (error) => this.session.streamError(error),
    });
  }
}
