import { MalformedAnswerError } from "./http1-errors.js";
import { MAX_REASON_BYTES } from "./push-answer.js";

/** The status line and header fields of all heads of one answer (1xx and trailers included). */
export const MAX_HEAD_BYTES = 16 * 1024;
/** A chunk-size line, extensions included. */
const MAX_CHUNK_LINE = 1024;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BAD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
const STATUS_LINE = /^HTTP\/1\.([01]) ([1-9][0-9]{2})(?: [^\x00-\x08\x0a-\x1f\x7f]*)?$/;
const DIGITS = /^[0-9]{1,15}$/;
const HEX = /^[0-9a-fA-F]{1,12}$/;
const HEAD_END = Buffer.from("\r\n\r\n", "latin1");
const EMPTY = Buffer.alloc(0);

/** One answer, read to its end. */
export interface ParsedAnswer {
  status: number;
  retryAfter: string | undefined;
  /** The body's first {@link MAX_REASON_BYTES} bytes. */
  body: Buffer;
  /** The connection may carry another request: HTTP/1.1, no `Connection: close`, a delimited body, nothing after it. */
  reusable: boolean;
  /** ms the service keeps an idle connection, from `Keep-Alive: timeout=`, if it said. */
  keepAliveTimeout: number | undefined;
}

/** What a {@link ResponseParser} step gives: the answer, an error, or undefined while more bytes are needed. */
export type ParseResult = ParsedAnswer | MalformedAnswerError | undefined;

const enum State {
  Head,
  Length,
  UntilClose,
  ChunkSize,
  ChunkData,
  ChunkDataEnd,
  Trailers,
  Done,
  Failed,
}

/**
 * Reads one HTTP/1.1 answer from the bytes as they arrive, in bounded memory: skips 1xx heads,
 * takes the body by Content-Length, chunked (trailers included) or until the close, keeps only
 * its start but reads it to the end. Never throws: a malformed answer is a result.
 */
export class ResponseParser {
  #state = State.Head;
  /** Bytes of a head not yet complete. */
  #pending: Buffer | undefined;
  #headBytes = 0;
  /** A chunk-size or trailer line not yet complete. */
  #line = "";
  #remaining = 0;
  #kept: Buffer[] = [];
  #keptBytes = 0;
  #answer: ParsedAnswer | undefined;
  /** Some byte of this answer has arrived. */
  received = false;

  /** Ready for the next answer on the same connection. */
  reset(): void {
    this.#state = State.Head;
    this.#pending = undefined;
    this.#headBytes = 0;
    this.#line = "";
    this.#remaining = 0;
    this.#kept = [];
    this.#keptBytes = 0;
    this.#answer = undefined;
    this.received = false;
  }

  feed(chunk: Buffer): ParseResult {
    if (chunk.length === 0) return undefined;
    this.received = true;
    if (this.#state === State.Done || this.#state === State.Failed) return this.#fail("bytes after the answer");
    try {
      return this.#consume(chunk);
    } catch (error) {
      this.#state = State.Failed;
      return error instanceof MalformedAnswerError ? error : new MalformedAnswerError(String(error));
    }
  }

  /** The service closed the connection: the end of a body read until the close, else a truncated answer. */
  end(): ParsedAnswer | MalformedAnswerError {
    if (this.#state === State.UntilClose && this.#answer) return this.#finish(false);
    if (this.#state === State.Done && this.#answer) return this.#answer;
    return this.#fail(this.received ? "the push service closed the connection mid-answer" : "the push service closed the connection without answering");
  }

  #fail(why: string): MalformedAnswerError {
    this.#state = State.Failed;
    return new MalformedAnswerError(why);
  }

  #consume(chunk: Buffer): ParseResult {
    let data = chunk;
    while (data.length > 0) {
      switch (this.#state) {
        case State.Head: {
          const rest = this.#readHead(data);
          if (rest === undefined) return undefined;
          data = rest;
          // A body-less answer is complete with its head.
          if (this.#answer && (this.#state as State) === State.Done) return this.#complete(data);
          break;
        }
        case State.Length:
          data = this.#takeBody(data);
          if (this.#remaining === 0) return this.#complete(data);
          break;
        case State.UntilClose:
          this.#keep(data, data.length);
          return undefined;
        case State.ChunkSize: {
          const line = this.#readLine(data, MAX_CHUNK_LINE, "a chunk size");
          if (line === undefined) return undefined;
          data = data.subarray(line.used);
          const semicolon = line.text.indexOf(";");
          const size = (semicolon === -1 ? line.text : line.text.slice(0, semicolon)).trim();
          if (!HEX.test(size)) throw new MalformedAnswerError(`a bad chunk size ${JSON.stringify(size.slice(0, 20))}`);
          this.#remaining = Number.parseInt(size, 16);
          this.#state = this.#remaining === 0 ? State.Trailers : State.ChunkData;
          break;
        }
        case State.ChunkData:
          data = this.#takeBody(data);
          if (this.#remaining === 0) {
            this.#state = State.ChunkDataEnd;
            this.#remaining = 2;
          }
          break;
        case State.ChunkDataEnd: {
          // The CRLF after a chunk's data, possibly split between reads.
          const expected = this.#remaining === 2 ? 0x0d : 0x0a;
          if (data[0] !== expected) throw new MalformedAnswerError("a chunk longer than its size");
          data = data.subarray(1);
          this.#remaining -= 1;
          if (this.#remaining === 0) this.#state = State.ChunkSize;
          break;
        }
        case State.Trailers: {
          const line = this.#readLine(data, MAX_HEAD_BYTES - this.#headBytes, "the trailers");
          if (line === undefined) return undefined;
          data = data.subarray(line.used);
          this.#headBytes += line.used;
          if (line.text === "") return this.#complete(data);
          if (!TOKEN.test(line.text.slice(0, Math.max(0, line.text.indexOf(":"))))) throw new MalformedAnswerError("a malformed trailer");
          break;
        }
        default:
          throw new MalformedAnswerError("bytes after the answer");
      }
    }
    return undefined;
  }

  /** Takes a head off `data` when it is complete, returning what follows it; undefined while incomplete. */
  #readHead(data: Buffer): Buffer | undefined {
    const buffered = this.#pending ? Buffer.concat([this.#pending, data]) : data;
    const searchFrom = this.#pending ? Math.max(0, this.#pending.length - 3) : 0;
    const end = buffered.indexOf(HEAD_END, searchFrom);
    if (end === -1) {
      if (this.#headBytes + buffered.length > MAX_HEAD_BYTES) throw new MalformedAnswerError(`a head over ${MAX_HEAD_BYTES} bytes`);
      this.#pending = buffered;
      return undefined;
    }
    this.#pending = undefined;
    this.#headBytes += end + 4;
    if (this.#headBytes > MAX_HEAD_BYTES) throw new MalformedAnswerError(`a head over ${MAX_HEAD_BYTES} bytes`);
    this.#readFields(buffered.toString("latin1", 0, end));
    return buffered.subarray(end + 4);
  }

  #readFields(head: string): void {
    const lines = head.split("\r\n");
    const statusLine = STATUS_LINE.exec(lines[0] as string);
    if (!statusLine) throw new MalformedAnswerError(`not an HTTP/1.x status line: ${JSON.stringify((lines[0] as string).slice(0, 40))}`);
    const status = Number(statusLine[2]);
    if (status === 101) throw new MalformedAnswerError("101 Switching Protocols, which was not asked for");
    let length: string | undefined;
    let codings: string | undefined;
    let close = statusLine[1] === "0";
    let keepAliveTimeout: number | undefined;
    let retryAfter: string | undefined;
    for (let index = 1; index < lines.length; index++) {
      const line = lines[index] as string;
      const colon = line.indexOf(":");
      const name = colon > 0 ? line.slice(0, colon) : "";
      // An empty or obs-folded name (a line starting with whitespace) is refused too.
      if (!TOKEN.test(name)) throw new MalformedAnswerError(`a malformed header line ${JSON.stringify(line.slice(0, 40))}`);
      const value = line.slice(colon + 1).trim();
      if (BAD_VALUE.test(value)) throw new MalformedAnswerError(`the ${name} header has characters a header may not hold`);
      switch (name.toLowerCase()) {
        case "content-length":
          length = sameLength(length, value);
          break;
        case "transfer-encoding":
          codings = codings === undefined ? value : `${codings}, ${value}`;
          break;
        case "connection":
          if (value.toLowerCase().split(",").some((option) => option.trim() === "close")) close = true;
          break;
        case "keep-alive": {
          const timeout = /(?:^|[,;\s])timeout\s*=\s*"?([0-9]{1,9})/i.exec(value);
          if (timeout) keepAliveTimeout = Number(timeout[1]) * 1000;
          break;
        }
        case "retry-after":
          retryAfter ??= value;
      }
    }
    // Interim answers (100 Continue, 103 Early Hints): their fields mean nothing for the final one.
    if (status < 200) return;
    this.#answer = { status, retryAfter, body: EMPTY, reusable: !close, keepAliveTimeout };
    if (status === 204 || status === 304) {
      this.#state = State.Done;
    } else if (codings !== undefined) {
      const last = codings.split(",").pop()?.trim().toLowerCase();
      // With both, Transfer-Encoding wins and the connection is not trusted again (RFC 9112 §6.3).
      if (length !== undefined) this.#answer.reusable = false;
      if (last === "chunked") {
        this.#state = State.ChunkSize;
      } else {
        this.#answer.reusable = false;
        this.#state = State.UntilClose;
      }
    } else if (length !== undefined) {
      this.#remaining = Number(length);
      this.#state = this.#remaining === 0 ? State.Done : State.Length;
    } else {
      this.#answer.reusable = false;
      this.#state = State.UntilClose;
    }
  }

  /** A CRLF-ended line from the start of `data` (joined with what came before); undefined while incomplete. */
  #readLine(data: Buffer, limit: number, what: string): { text: string; used: number } | undefined {
    const newline = data.indexOf(0x0a);
    if (newline === -1) {
      if (this.#line.length + data.length > limit) throw new MalformedAnswerError(`${what} over ${limit} bytes`);
      this.#line += data.toString("latin1");
      return undefined;
    }
    const whole = this.#line + data.toString("latin1", 0, newline + 1);
    this.#line = "";
    if (whole.length > limit) throw new MalformedAnswerError(`${what} over ${limit} bytes`);
    if (whole.length < 2 || whole.charCodeAt(whole.length - 2) !== 0x0d) throw new MalformedAnswerError(`${what} not ended by CRLF`);
    return { text: whole.slice(0, -2), used: newline + 1 };
  }

  /** Up to `#remaining` bytes of body off the start of `data`; returns what follows. */
  #takeBody(data: Buffer): Buffer {
    const taken = Math.min(this.#remaining, data.length);
    this.#keep(data, taken);
    this.#remaining -= taken;
    return data.subarray(taken);
  }

  #keep(data: Buffer, count: number): void {
    if (count === 0 || this.#keptBytes >= MAX_REASON_BYTES) return;
    const taken = Math.min(count, MAX_REASON_BYTES - this.#keptBytes);
    // A copy: the kept start must not pin the socket's whole read buffer.
    this.#kept.push(Buffer.from(data.subarray(0, taken)));
    this.#keptBytes += taken;
  }

  /** The answer is complete; bytes after it mean the connection cannot be trusted again. */
  #complete(rest: Buffer): ParsedAnswer {
    return this.#finish(rest.length === 0);
  }

  #finish(reusable: boolean): ParsedAnswer {
    const answer = this.#answer as ParsedAnswer;
    this.#state = State.Done;
    answer.reusable &&= reusable;
    if (this.#keptBytes > 0) answer.body = this.#kept.length === 1 ? (this.#kept[0] as Buffer) : Buffer.concat(this.#kept);
    return answer;
  }
}

/** A Content-Length value (a list of one repeated number allowed, RFC 9110 §8.6) agreeing with any before it. */
function sameLength(before: string | undefined, value: string): string {
  const values = value.split(",").map((part) => part.trim());
  const first = values[0] as string;
  if (!DIGITS.test(first) || values.some((part) => part !== first)) throw new MalformedAnswerError(`a bad Content-Length ${JSON.stringify(value.slice(0, 20))}`);
  const length = String(Number(first));
  if (before !== undefined && before !== length) throw new MalformedAnswerError("two different Content-Lengths");
  return length;
}
