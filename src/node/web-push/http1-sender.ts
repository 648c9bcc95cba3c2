import { Deadlines } from "../../sim/deadlines.js";
import type { Origin, TlsSettings } from "./http1-connection.js";
import { InvalidRequestError, PushTimeoutError } from "./http1-errors.js";
import { type Exchange, OriginPool } from "./http1-pool.js";
import { serializeRequest } from "./http1-request.js";
import { type PushAnswer, type PushSender, reasonOf } from "./push-answer.js";

export interface Http1SenderOptions {
  /** ms from the call to the last byte of the answer, waiting for a free connection included. */
  timeout: number;
  /** Connections per push-service origin; more requests wait for one. */
  maxSockets: number;
  /** For tests against a loopback TLS server. */
  tls?: TlsSettings;
}

/** A sender that can be closed: what is in flight or waiting fails at once, and later sends fail. */
export type ClosablePushSender = PushSender & { close(): void };

/**
 * Sends over our own HTTP/1.1 client: keep-alive connections, at most `maxSockets` per origin,
 * each request written in one piece, and one timer for all the requests' deadlines
 * ({@link Deadlines}). Node's http client spent more CPU per request than the encryption.
 */
export function http1Sender(options: Http1SenderOptions): ClosablePushSender {
  const pools = new Map<string, OriginPool>();
  let closed: Error | undefined;
  const deadlines = new Deadlines(options.timeout);
  const poolFor = (origin: Origin) => {
    let pool = pools.get(origin.key);
    if (!pool) {
      pool = new OriginPool(origin, { maxSockets: options.maxSockets, tls: options.tls, onEmpty: () => pools.delete(origin.key) });
      pools.set(origin.key, pool);
    }
    return pool;
  };
  const send: PushSender = (request) =>
    new Promise<PushAnswer>((resolve, reject) => {
      if (closed) throw closed;
      const { origin, target } = addressOf(request.url);
      // Before the pool: a request that cannot be written leaves nothing behind.
      const bytes = serializeRequest(origin.host, target, request.headers, request.body);
      const pool = poolFor(origin);
      const exchange: Exchange = {
        bytes,
        settled: false,
        connection: undefined,
        answered(answer) {
          exchange.settled = true;
          deadline.settle();
          resolve({ status: answer.status, retryAfter: answer.retryAfter, reason: answer.body.length === 0 ? "" : reasonOf(answer.body.toString("utf8")) });
        },
        failed(error) {
          exchange.settled = true;
          deadline.settle();
          reject(error);
        },
      };
      const deadline = deadlines.add(() => {
        exchange.settled = true;
        pool.abandon(exchange);
        reject(new PushTimeoutError(`no complete answer from the push service within ${options.timeout} ms`));
      });
      pool.submit(exchange);
    });
  return Object.assign(send, {
    close(): void {
      closed ??= new Error("the sender was closed");
      for (const pool of pools.values()) pool.close(closed);
      pools.clear();
    },
  });
}

/** The pool an endpoint's requests go to and the request target. */
function addressOf(endpoint: string): { origin: Origin; target: string } {
  const url = new URL(endpoint);
  const secure = url.protocol === "https:";
  if (!secure && url.protocol !== "http:") throw new InvalidRequestError(`a push endpoint must be http: or https:, not ${url.protocol}`);
  const hostname = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  const port = url.port === "" ? (secure ? 443 : 80) : Number(url.port);
  return { origin: { key: `${url.protocol}//${url.host}`, secure, hostname, port, host: url.host }, target: `${url.pathname}${url.search}` };
}
