import { connect as netConnect, isIP, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { MalformedAnswerError } from "./http1-errors.js";
import { type ParsedAnswer, ResponseParser } from "./http1-response.js";

/** Where a pool's connections go. */
export interface Origin {
  /** `https:` or `http:` with host and port: the pool's key. */
  key: string;
  secure: boolean;
  /** The host name or IP literal, without an IPv6 literal's brackets. */
  hostname: string;
  port: number;
  /** The Host header: the URL's host, port included when not the default. */
  host: string;
}

/** TLS settings a test can set; certificates are otherwise checked as Node checks them by default. */
export interface TlsSettings {
  ca?: string | Buffer;
}

/**
 * What ends one request on a connection: the answer, or the error; `retriable` when the request
 * went out on a connection that had served before and nothing of an answer came back — the
 * service closed a kept-alive connection as we reused it, so a fresh one may well succeed.
 */
export type Exchanged = (result: ParsedAnswer | Error, retriable: boolean) => void;

/** One TCP or TLS connection to an origin, carrying one request at a time (no pipelining). */
export class Connection {
  readonly socket: Socket;
  readonly #parser = new ResponseParser();
  /** Requests answered on it so far. */
  served = 0;
  /** When idle: the time (ms since the epoch) after which it is not reused but closed. */
  idleUntil = 0;
  #exchanged: Exchanged | undefined;
  #error: Error | undefined;

  constructor(origin: Origin, tls: TlsSettings | undefined, onClose: (connection: Connection) => void) {
    this.socket = origin.secure
      ? tlsConnect({
          host: origin.hostname,
          port: origin.port,
          // SNI names a host, never an IP literal (RFC 6066 §3).
          ...(isIP(origin.hostname) === 0 ? { servername: origin.hostname } : {}),
          ALPNProtocols: ["http/1.1"],
          ...(tls?.ca === undefined ? {} : { ca: tls.ca }),
        })
      : netConnect({ host: origin.hostname, port: origin.port });
    this.socket.setNoDelay(true);
    this.socket.setKeepAlive(true, 1000);
    this.socket.on("data", (chunk: Buffer) => this.#onData(chunk));
    this.socket.on("end", () => {
      const exchanged = this.#take();
      if (exchanged) this.#end(exchanged, this.#parser.end());
    });
    this.socket.on("error", (error) => {
      this.#error ??= error;
    });
    this.socket.on("close", () => {
      const exchanged = this.#take();
      if (exchanged) this.#end(exchanged, this.#error ?? new MalformedAnswerError(this.#parser.received ? "the push service closed the connection mid-answer" : "the push service closed the connection without answering"));
      onClose(this);
    });
  }

  /** Writes one serialized request; `exchanged` runs once, with the answer or an error. */
  send(bytes: Buffer, exchanged: Exchanged): void {
    this.#parser.reset();
    this.#exchanged = exchanged;
    this.socket.write(bytes);
  }

  destroy(): void {
    this.socket.destroy();
  }

  #onData(chunk: Buffer): void {
    if (!this.#exchanged) {
      // Bytes nobody asked for: the connection is out of step.
      this.socket.destroy();
      return;
    }
    const result = this.#parser.feed(chunk);
    if (result === undefined) return;
    this.#end(this.#take() as Exchanged, result);
  }

  #take(): Exchanged | undefined {
    const exchanged = this.#exchanged;
    this.#exchanged = undefined;
    return exchanged;
  }

  #end(exchanged: Exchanged, result: ParsedAnswer | Error): void {
    if (result instanceof Error) {
      this.socket.destroy();
      exchanged(result, this.served > 0 && !this.#parser.received);
      return;
    }
    this.served += 1;
    if (!result.reusable) this.socket.destroy();
    exchanged(result, false);
  }
}
