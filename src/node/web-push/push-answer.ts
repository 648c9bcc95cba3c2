import type { PushRequest } from "./request.js";

/** What a push service answered to one request. */
export interface PushAnswer {
  status: number;
  /** The raw `Retry-After` header, if any. */
  retryAfter: string | undefined;
  /** The start of the response body, trimmed: the service's reason for a refusal. */
  reason: string;
}

/**
 * Sends one push request and resolves with the answer, body read in full; rejects when no
 * complete answer came within the timeout or the network failed.
 */
export type PushSender = (request: PushRequest) => Promise<PushAnswer>;

/** How much of a response body is kept for the error message. */
export const MAX_REASON_CHARS = 200;
/** Bytes of a body kept: enough for {@link MAX_REASON_CHARS} characters of UTF-8. */
export const MAX_REASON_BYTES = MAX_REASON_CHARS * 4;

export function reasonOf(text: string): string {
  return text.trim().slice(0, MAX_REASON_CHARS);
}
