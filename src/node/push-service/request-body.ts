import type { IncomingMessage } from "node:http";

export type BodyRead = { complete: true; body: Buffer } | { complete: false; reason: "too-large" };

export class RequestTimeoutError extends Error {
  override readonly name = "RequestTimeoutError";
}

/**
 * Reads a request body of at most `limit` bytes within `timeout` ms. A bigger body is not read
 * further (the caller answers 413 and closes the connection); a stalled or aborted one rejects.
 */
export function readBody(request: IncomingMessage, limit: number, timeout: number): Promise<BodyRead> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      request.off("data", onData).off("end", onEnd).off("error", onError).off("aborted", onAborted);
      settle();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.pause();
        finish(() => resolve({ complete: false, reason: "too-large" }));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish(() => resolve({ complete: true, body: Buffer.concat(chunks, size) }));
    const onError = (error: Error) => finish(() => reject(error));
    const onAborted = () => finish(() => reject(new Error("request aborted")));
    const timer = setTimeout(() => finish(() => reject(new RequestTimeoutError(`request body not complete within ${timeout} ms`))), timeout);
    request.on("data", onData).on("end", onEnd).on("error", onError).on("aborted", onAborted);
  });
}
