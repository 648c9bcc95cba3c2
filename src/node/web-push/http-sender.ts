import { Agent as HttpAgent, type ClientRequest, type IncomingMessage, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { Deadlines } from "../../sim/deadlines.js";
import { MAX_REASON_CHARS, type PushAnswer, type PushSender, reasonOf } from "./push-answer.js";
import type { PushRequest } from "./request.js";

/** An idle connection is closed after this long, or sooner when the service's `Keep-Alive` says so. */
const IDLE_SOCKET_TIMEOUT = 15_000;
/** Bytes of a refusal's body kept: enough for {@link MAX_REASON_CHARS} characters of UTF-8. */
const MAX_REASON_BYTES = MAX_REASON_CHARS * 4;

export class PushTimeoutError extends Error {
  override readonly name = "PushTimeoutError";
}

export interface HttpSenderOptions {
  /** ms from the call to the last byte of the answer, waiting for a free connection included. */
  timeout: number;
  /** Connections per push-service origin; more requests wait for one. */
  maxSockets: number;
}

/**
 * Sends over Node's http/https with keep-alive connections, at most `maxSockets` per origin, and
 * one timer for all the requests' deadlines ({@link Deadlines}).
 */
export function httpSender(options: HttpSenderOptions): PushSender {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets, timeout: IDLE_SOCKET_TIMEOUT, scheduling: "lifo" as const };
  const agents = { http: new HttpAgent(agentOptions), https: new HttpsAgent(agentOptions) };
  const deadlines = new Deadlines(options.timeout);
  return (request) =>
    new Promise<PushAnswer>((resolve, reject) => {
      let settled = false;
      let current: ClientRequest | undefined;
      const finish = (settle: () => void) => {
        if (settled) return;
        settled = true;
        deadline.settle();
        settle();
      };
      const deadline = deadlines.add(() => {
        const error = new PushTimeoutError(`no complete answer from the push service within ${options.timeout} ms`);
        current?.destroy(error);
        finish(() => reject(error));
      });
      const send = (retryOnStaleSocket: boolean) => {
        let answered = false;
        current = post(request, agents, (response) => {
          answered = true;
          readAnswer(response, (answer) => finish(() => resolve(answer)), (error) => finish(() => reject(error)));
        });
        current.on("error", (error: NodeJS.ErrnoException) => {
          // A kept-alive connection the service closed as we reused it: once more on a fresh one.
          if (retryOnStaleSocket && !answered && !settled && current?.reusedSocket && error.code === "ECONNRESET") send(false);
          else finish(() => reject(error));
        });
      };
      try {
        send(true);
      } catch (error) {
        finish(() => reject(error));
      }
    });
}

function post(request: PushRequest, agents: { http: HttpAgent; https: HttpsAgent }, onResponse: (response: IncomingMessage) => void): ClientRequest {
  const url = new URL(request.url);
  const secure = url.protocol === "https:";
  const options = {
    method: "POST",
    hostname: url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname,
    port: url.port,
    path: `${url.pathname}${url.search}`,
    headers: request.headers,
    agent: secure ? agents.https : agents.http,
  };
  const sent = secure ? httpsRequest(options, onResponse) : httpRequest(options, onResponse);
  sent.end(request.body);
  return sent;
}

/** Reads the whole body (so the connection can be reused), keeping only its start. */
function readAnswer(response: IncomingMessage, resolve: (answer: PushAnswer) => void, reject: (error: Error) => void): void {
  const status = response.statusCode ?? 0;
  const retryAfter = response.headers["retry-after"];
  const chunks: Buffer[] = [];
  let kept = 0;
  response.on("data", (chunk: Buffer) => {
    if (kept >= MAX_REASON_BYTES) return;
    chunks.push(chunk);
    kept += chunk.length;
  });
  response.on("end", () => resolve({ status, retryAfter, reason: kept === 0 ? "" : reasonOf(Buffer.concat(chunks).toString("utf8")) }));
  response.on("error", reject);
  response.on("close", () => {
    if (!response.complete) reject(new Error("the push service closed the connection mid-answer"));
  });
}
