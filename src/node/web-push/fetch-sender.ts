import { type PushAnswer, type PushSender, reasonOf } from "./push-answer.js";
import type { Fetch } from "./types.js";

/**
 * Sends through an injected fetch (a test's, or a proxy's). A fetch can only be cancelled by a
 * signal, so this path keeps one per request; the default path (http1-sender.ts) needs none.
 * `closing`, when it aborts, cancels every request in flight.
 */
export function fetchSender(fetch: Fetch, timeout: number, closing?: AbortSignal): PushSender {
  return async (request): Promise<PushAnswer> => {
    const headers: Record<string, string> = {};
    // fetch computes the length itself.
    for (const [name, value] of Object.entries(request.headers)) if (name.toLowerCase() !== "content-length") headers[name] = value;
    const response = await fetch(request.url, { method: "POST", headers, body: Uint8Array.from(request.body), signal: closing ? AbortSignal.any([AbortSignal.timeout(timeout), closing]) : AbortSignal.timeout(timeout) });
    let reason = "";
    try {
      // Always read, also to free the connection; a body that fails to arrive only loses the reason.
      reason = reasonOf(await response.text());
    } catch {}
    return { status: response.status, retryAfter: response.headers.get("retry-after") ?? undefined, reason };
  };
}
