import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Emitter } from "../../protocol/index.js";
import { positiveLimit } from "../../sim/recent-records.js";
import { MessageQueue } from "./message-queue.js";
import { judgePushRequest, MAX_BODY_BYTES, type Refusal } from "./push-request.js";
import { readBody, RequestTimeoutError } from "./request-body.js";
import { SubscriptionBook } from "./subscriptions.js";
import type {
  MintedSubscription,
  NextMessageOptions,
  PushService,
  PushServiceEvents,
  PushServiceOptions,
  RateLimit,
  ReceivedPushMessage,
  SubscribeOptions,
} from "./types.js";

const DEFAULT_REQUEST_TIMEOUT = 5000;
const DEFAULT_PENDING_LIMIT = 100;
const DEFAULT_MESSAGE_LIMIT = 10_000;
const DEFAULT_MAX_CONNECTIONS = 1000;
/** Seconds a subscription that is full is told to wait. */
const FULL_RETRY_AFTER = 60;
// Bodies a little over the limit are read so 413 can be answered on a live connection.
const READ_LIMIT = 4 * MAX_BODY_BYTES;

/**
 * Starts a push-service simulator on loopback (ephemeral port unless told otherwise) and resolves
 * once it listens, so `origin` is always known.
 */
export async function createPushService(options: PushServiceOptions = {}): Promise<PushService> {
  const requestTimeout = options.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT;
  // 0 would switch Node's timeouts off: a silent socket would then stay open for good.
  if (!Number.isInteger(requestTimeout) || requestTimeout <= 0) throw new RangeError(`requestTimeout must be a positive integer (ms), got ${requestTimeout}`);
  const queue = new MessageQueue({
    pending: positiveLimit("pendingLimit", options.pendingLimit, DEFAULT_PENDING_LIMIT),
    messages: positiveLimit("messageLimit", options.messageLimit, DEFAULT_MESSAGE_LIMIT),
  });
  const maxConnections = positiveLimit("maxConnections", options.maxConnections, DEFAULT_MAX_CONNECTIONS);
  // Node checks headersTimeout and requestTimeout only every connectionsCheckingInterval (30 s by
  // default), so a socket that never sends a byte would outlive requestTimeout by up to 30 s.
  const connectionsCheckingInterval = Math.max(100, Math.min(requestTimeout, 1000));
  const server = createServer({ requestTimeout, headersTimeout: requestTimeout, keepAliveTimeout: requestTimeout, connectionsCheckingInterval });
  // Past the cap Node closes each new socket at once, before reading from it.
  server.maxConnections = maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;
  return new LoopbackPushService(server, `http://${host}:${port}`, requestTimeout, queue);
}

class LoopbackPushService extends Emitter<PushServiceEvents> implements PushService {
  readonly origin: string;
  readonly #server: Server;
  readonly #requestTimeout: number;
  readonly #subscriptions: SubscriptionBook;
  readonly #queue: MessageQueue;
  #closed: Promise<void> | undefined;

  constructor(server: Server, origin: string, requestTimeout: number, queue: MessageQueue) {
    super();
    this.#queue = queue;
    this.origin = origin;
    this.#server = server;
    this.#requestTimeout = requestTimeout;
    this.#subscriptions = new SubscriptionBook(origin);
    server.on("request", (request: IncomingMessage, response: ServerResponse) => void this.#handle(request, response));
    // Unparseable HTTP is answered 400, headers that did not arrive within requestTimeout 408
    // (as Node's own handler does), if the socket still can; never throw.
    server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
      const status = error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? "408 Request Timeout" : "400 Bad Request";
      if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
      else socket.destroy();
    });
  }

  get messages(): readonly ReceivedPushMessage[] {
    return this.#queue.messages;
  }

  subscribe(options?: SubscribeOptions): MintedSubscription {
    return this.#subscriptions.mint(options);
  }

  expire(endpoint: string): void {
    this.#subscriptions.get(endpoint).gone = true;
  }

  rateLimit(endpoint: string, limit: RateLimit): void {
    this.#subscriptions.setRateLimit(endpoint, limit);
  }

  pending(endpoint?: string): ReceivedPushMessage[] {
    return this.#queue.pending(endpoint);
  }

  nextMessage(options?: NextMessageOptions): Promise<ReceivedPushMessage> {
    return this.#queue.next(options);
  }

  close(): Promise<void> {
    this.#closed ??= new Promise<void>((resolve) => {
      this.#queue.abandon("the push service closed");
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
    return this.#closed;
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    request.on("error", () => {});
    response.on("error", () => {});
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    try {
      const read = await readBody(request, READ_LIMIT, this.#requestTimeout);
      if (!read.complete) {
        this.#refuse(response, { accepted: false, status: 413, reason: `the body exceeds ${MAX_BODY_BYTES} bytes`, endpoint: `${this.origin}${path}`, headers: { connection: "close" } });
        return;
      }
      const verdict = judgePushRequest(
        { method: request.method ?? "", path, headers: flatHeaders(request.headers), body: read.body },
        { origin: this.origin, subscriptions: this.#subscriptions, now: Date.now() },
      );
      if (!verdict.accepted) {
        this.#refuse(response, verdict);
        return;
      }
      if (!this.#queue.hasRoom(verdict.message.endpoint, verdict.message.topic)) {
        const reason = "the subscription holds as many messages as it may until its user agent takes some";
        this.#refuse(response, { accepted: false, status: 429, reason, endpoint: verdict.message.endpoint, headers: { "retry-after": String(FULL_RETRY_AFTER) } });
        return;
      }
      this.#queue.add(verdict.message);
      this.emit("message", verdict.message);
      response.writeHead(201, { location: verdict.message.location }).end();
    } catch (error) {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      const status = error instanceof RequestTimeoutError ? 408 : 500;
      response.writeHead(status, { "content-type": "text/plain", connection: "close" }).end(error instanceof Error ? error.message : "");
    }
  }

  #refuse(response: ServerResponse, refusal: Refusal): void {
    response.writeHead(refusal.status, { "content-type": "text/plain; charset=utf-8", ...refusal.headers }).end(refusal.reason);
    this.emit("refused", { endpoint: refusal.endpoint, status: refusal.status, reason: refusal.reason });
  }
}

/** Node gives repeated headers as arrays (set-cookie) or joined; one string each is enough here. */
function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}
