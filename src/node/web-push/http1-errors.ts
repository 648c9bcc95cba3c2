/** No complete answer came within the sender's timeout (waiting for a connection included). */
export class PushTimeoutError extends Error {
  override readonly name = "PushTimeoutError";
}

/** The push service's answer is not HTTP/1.1 we can read: truncated, malformed or too large. */
export class MalformedAnswerError extends Error {
  override readonly name = "MalformedAnswerError";
}

/** A request that cannot be written as HTTP/1.1 (a header or the path with CR, LF, NUL, …); nothing was sent. */
export class InvalidRequestError extends Error {
  override readonly name = "InvalidRequestError";
}
