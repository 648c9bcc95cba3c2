import { InvalidRequestError } from "./http1-errors.js";

/** RFC 9110 §5.6.2 token characters: what a header name may hold. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What a header value may not hold: control characters (tab aside) and anything beyond Latin-1. */
const BAD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
/** A request target is printable ASCII without spaces (the URL parser has percent-encoded the rest). */
const BAD_TARGET = /[^\x21-\x7e]/;

/**
 * One HTTP/1.1 POST as a single buffer — request line, Host, the headers, the body — so that it
 * goes out in one write. `headers` must not hold Host; Content-Length is added when absent.
 * Throws {@link InvalidRequestError} before anything is built when a name, value or the target
 * could split the request.
 */
export function serializeRequest(host: string, target: string, headers: Record<string, string>, body: Buffer): Buffer {
  if (target === "" || BAD_TARGET.test(target)) throw new InvalidRequestError(`the request target ${JSON.stringify(target)} is not printable ASCII`);
  if (BAD_VALUE.test(host)) throw new InvalidRequestError("the Host has characters a header may not hold");
  let head = `POST ${target} HTTP/1.1\r\nHost: ${host}\r\n`;
  let hasLength = false;
  for (const name in headers) {
    const value = headers[name] as string;
    if (!TOKEN.test(name)) throw new InvalidRequestError(`${JSON.stringify(name)} is not a header name`);
    if (BAD_VALUE.test(value)) throw new InvalidRequestError(`the ${name} header has characters a header may not hold`);
    if (name.length === 14 && name.toLowerCase() === "content-length") {
      if (value !== String(body.length)) throw new InvalidRequestError(`Content-Length ${value} for a body of ${body.length} bytes`);
      hasLength = true;
    }
    head += `${name}: ${value}\r\n`;
  }
  if (!hasLength) head += `Content-Length: ${body.length}\r\n`;
  head += "\r\n";
  const bytes = Buffer.allocUnsafe(head.length + body.length);
  bytes.write(head, 0, "latin1");
  body.copy(bytes, head.length);
  return bytes;
}
