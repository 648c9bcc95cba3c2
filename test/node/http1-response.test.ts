import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MalformedAnswerError } from "../../src/node/web-push/http1-errors.js";
import { type ParseResult, ResponseParser } from "../../src/node/web-push/http1-response.js";

/** Feeds the pieces in order; the first result, or what the close makes of it. */
function parse(pieces: Buffer[], closeAfter = false): ParseResult {
  const parser = new ResponseParser();
  for (const piece of pieces) {
    const result = parser.feed(piece);
    if (result !== undefined) return result;
  }
  return closeAfter ? parser.end() : undefined;
}

const bytes = (text: string) => Buffer.from(text, "latin1");

/** A valid answer: its bytes, whether only the close ends it, and what it must parse to. */
const validAnswer = fc
  .record({
    interim: fc.boolean(),
    status: fc.constantFrom(201, 400, 404, 410, 413, 429, 500),
    version: fc.constantFrom("1.1", "1.0"),
    close: fc.boolean(),
    retryAfter: fc.option(fc.constantFrom("10", "Wed, 21 Oct 2015 07:28:00 GMT"), { nil: undefined }),
    body: fc.uint8Array({ maxLength: 1200 }),
    framing: fc.constantFrom("length", "chunked", "close"),
    chunkSizes: fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 6 }),
  })
  .map(({ interim, status, version, close, retryAfter, body, framing, chunkSizes }) => {
    let head = interim ? "HTTP/1.1 100 Continue\r\n\r\n" : "";
    head += `HTTP/${version} ${status} Whatever\r\nLocation: /m\r\n`;
    if (close) head += "Connection: close\r\n";
    if (retryAfter !== undefined) head += `Retry-After: ${retryAfter}\r\n`;
    const content = Buffer.from(body);
    let encoded: Buffer;
    if (framing === "length") {
      head += `Content-Length: ${content.length}\r\n\r\n`;
      encoded = content;
    } else if (framing === "chunked") {
      head += "Transfer-Encoding: chunked\r\n\r\n";
      const parts: Buffer[] = [];
      let at = 0;
      for (let index = 0; at < content.length; index++) {
        const size = Math.min(chunkSizes[index % chunkSizes.length] as number, content.length - at);
        parts.push(bytes(`${size.toString(16)}${index % 2 ? ";ext=1" : ""}\r\n`), content.subarray(at, at + size), bytes("\r\n"));
        at += size;
      }
      parts.push(bytes("0\r\nX-Trailer: t\r\n\r\n"));
      encoded = Buffer.concat(parts);
    } else {
      head += "\r\n";
      encoded = content;
    }
    return {
      wire: Buffer.concat([bytes(head), encoded]),
      needsClose: framing === "close",
      expected: { status, retryAfter, body: content.subarray(0, 800), reusable: !close && version === "1.1" && framing !== "close", keepAliveTimeout: undefined },
    };
  });

function splitAt(wire: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => cut % (wire.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let from = 0;
  for (const point of points) {
    pieces.push(wire.subarray(from, point));
    from = point;
  }
  pieces.push(wire.subarray(from));
  return pieces;
}

describe("ResponseParser", () => {
  it("a valid answer split anywhere parses as it does whole", () => {
    fc.assert(
      fc.property(validAnswer, fc.array(fc.nat(), { maxLength: 8 }), ({ wire, needsClose, expected }, cuts) => {
        const whole = parse([wire], needsClose);
        expect(whole).toEqual(expected);
        expect(parse(splitAt(wire, cuts), needsClose)).toEqual(whole);
        // Byte by byte, the most a socket could split it.
        expect(parse([...wire].map((byte) => Buffer.from([byte])), needsClose)).toEqual(whole);
      }),
      { numRuns: 150 },
    );
  });

  it("never throws on random bytes, alone or after a valid head, and answers nothing without a status line", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.boolean(), fc.array(fc.nat(), { maxLength: 6 }), (random, afterHead, cuts) => {
        const wire = Buffer.concat([afterHead ? bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n") : Buffer.alloc(0), Buffer.from(random)]);
        const result = parse(splitAt(wire, cuts), true);
        expect(result === undefined || result instanceof MalformedAnswerError || (typeof result.status === "number" && result.body.length <= 800)).toBe(true);
        if (!afterHead && !wire.toString("latin1").startsWith("HTTP/")) expect(result).toBeInstanceOf(MalformedAnswerError);
      }),
      { numRuns: 300 },
    );
  });

  it("a truncated valid answer, closed, is a MalformedAnswerError at every cut (a close-delimited body aside)", () => {
    fc.assert(
      fc.property(validAnswer, fc.nat(), ({ wire, needsClose }, cut) => {
        fc.pre(!needsClose);
        const at = cut % wire.length;
        expect(parse([wire.subarray(0, at)], true)).toBeInstanceOf(MalformedAnswerError);
      }),
      { numRuns: 150 },
    );
  });

  it("keeps only the body's start, whatever its length", () => {
    const result = parse([bytes(`HTTP/1.1 400 Bad\r\nContent-Length: 100000\r\n\r\n${"y".repeat(100_000)}`)]);
    expect(result).toMatchObject({ status: 400, reusable: true });
    expect((result as { body: Buffer }).body.length).toBe(800);
  });

  it("Transfer-Encoding with Content-Length: the chunks count and the connection is not trusted again", () => {
    expect(parse([bytes("HTTP/1.1 400 Bad\r\nContent-Length: 99\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n")])).toEqual({
      status: 400,
      retryAfter: undefined,
      body: bytes("hi"),
      reusable: false,
      keepAliveTimeout: undefined,
    });
  });

  it("204 and 304 have no body whatever their headers say; Keep-Alive's timeout is read in ms", () => {
    expect(parse([bytes("HTTP/1.1 204 No Content\r\nKeep-Alive: timeout=5, max=100\r\n\r\n")])).toMatchObject({ status: 204, reusable: true, keepAliveTimeout: 5000 });
  });

  it("a head over 16 KiB is refused as soon as it is over, not when it ends", () => {
    const parser = new ResponseParser();
    expect(parser.feed(bytes("HTTP/1.1 201 Created\r\n"))).toBeUndefined();
    let result: ParseResult;
    for (let index = 0; index < 2000 && result === undefined; index++) result = parser.feed(bytes("X-Padding: yyyyyyyy\r\n"));
    expect(result).toBeInstanceOf(MalformedAnswerError);
  });

  it("after the answer, the next one only after reset", () => {
    const parser = new ResponseParser();
    expect(parser.feed(bytes("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"))).toMatchObject({ status: 201 });
    expect(parser.feed(bytes("HTTP/1.1 201 Created\r\n"))).toBeInstanceOf(MalformedAnswerError);
    parser.reset();
    expect(parser.feed(bytes("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"))).toMatchObject({ status: 404 });
  });
});
