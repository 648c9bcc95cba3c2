import { Connection, type Origin, type TlsSettings } from "./http1-connection.js";
import type { ParsedAnswer } from "./http1-response.js";

/** An idle connection is closed after this long, or sooner when the service's `Keep-Alive` says so. */
export const IDLE_SOCKET_TIMEOUT = 15_000;
/** A service's `Keep-Alive: timeout=` is cut by this much, so that we never reuse what it is closing. */
const KEEP_ALIVE_MARGIN = 1000;

/** One request as the pool sees it. */
export interface Exchange {
  readonly bytes: Buffer;
  /** Ended by its deadline or its answer: nothing more is done for it. */
  settled: boolean;
  /** The connection carrying it, while it is on one. */
  connection: Connection | undefined;
  answered(answer: ParsedAnswer): void;
  failed(error: Error): void;
}

/**
 * The connections to one origin: at most `maxSockets`, each carrying one request at a time; an
 * idle one is reused last-in first-out (the warmest, and the others time out), requests beyond
 * `maxSockets` wait in order for one to come free.
 */
export class OriginPool {
  readonly #origin: Origin;
  readonly #maxSockets: number;
  readonly #tls: TlsSettings | undefined;
  readonly #onEmpty: () => void;
  readonly #idle: Connection[] = [];
  /** Closes the connections idle past their time; armed while any is idle. */
  #sweep: ReturnType<typeof setTimeout> | undefined;
  /** Oldest first. */
  readonly #waiting = new Set<Exchange>();
  /** Every connection open or opening, idle or carrying a request. */
  readonly #connections = new Set<Connection>();
  #open = 0;
  /** Why the pool was closed: it sends nothing more, and retries nothing. */
  #closed: Error | undefined;

  constructor(origin: Origin, options: { maxSockets: number; tls: TlsSettings | undefined; onEmpty: () => void }) {
    this.#origin = origin;
    this.#maxSockets = options.maxSockets;
    this.#tls = options.tls;
    this.#onEmpty = options.onEmpty;
  }

  /** Sends on an idle connection, a new one, or when one comes free. */
  submit(exchange: Exchange): void {
    if (this.#closed) {
      exchange.failed(this.#closed);
      return;
    }
    const idle = this.#takeIdle();
    if (idle) this.#run(idle, exchange);
    else if (this.#open < this.#maxSockets) this.#run(this.#connect(), exchange);
    else this.#waiting.add(exchange);
  }

  /** Fails what waits, ends every connection (what they carry fails) and takes nothing more. */
  close(reason: Error): void {
    this.#closed = reason;
    for (const exchange of this.#waiting) if (!exchange.settled) exchange.failed(reason);
    this.#waiting.clear();
    for (const connection of this.#connections) connection.destroy();
  }

  /** The exchange's deadline passed: out of the queue, or its connection closed (whatever it was doing is lost). */
  abandon(exchange: Exchange): void {
    this.#waiting.delete(exchange);
    exchange.connection?.destroy();
  }

  #run(connection: Connection, exchange: Exchange): void {
    exchange.connection = connection;
    connection.send(exchange.bytes, (result, retriable) => {
      exchange.connection = undefined;
      if (result instanceof Error) {
        if (exchange.settled) return;
        if (this.#closed) {
          exchange.failed(this.#closed);
          return;
        }
        // Once: the new connection has served nothing, so its failure is not retriable. Its slot
        // passes to it; the closing one leaves the count when it has closed.
        if (retriable) this.#run(this.#connect(), exchange);
        else exchange.failed(result);
        return;
      }
      if (result.reusable) this.#release(connection, result.keepAliveTimeout);
      if (!exchange.settled) exchange.answered(result);
    });
  }

  #connect(): Connection {
    this.#open += 1;
    const connection = new Connection(this.#origin, this.#tls, (closed) => this.#onClosed(closed));
    this.#connections.add(connection);
    return connection;
  }

  #release(connection: Connection, keepAliveTimeout: number | undefined): void {
    if (this.#closed) {
      connection.destroy();
      return;
    }
    const next = this.#nextWaiting();
    if (next) {
      this.#run(connection, next);
      return;
    }
    const timeout = keepAliveTimeout === undefined ? IDLE_SOCKET_TIMEOUT : Math.min(IDLE_SOCKET_TIMEOUT, keepAliveTimeout - KEEP_ALIVE_MARGIN);
    if (timeout <= 0) {
      connection.destroy();
      return;
    }
    connection.idleUntil = Date.now() + timeout;
    this.#idle.push(connection);
    // An idle connection does not keep the process alive.
    connection.socket.unref();
    if (this.#sweep === undefined) this.#armSweep(timeout);
  }

  /**
   * One timer per pool rather than one per idle spell: a connection is idle for a moment between
   * two requests, and a timer set and cleared around each cost more than the request's write.
   */
  #armSweep(after: number): void {
    this.#sweep = setTimeout(() => {
      this.#sweep = undefined;
      const now = Date.now();
      let next = Number.POSITIVE_INFINITY;
      for (const connection of [...this.#idle]) {
        if (connection.idleUntil <= now) connection.destroy();
        else next = Math.min(next, connection.idleUntil);
      }
      if (next !== Number.POSITIVE_INFINITY) this.#armSweep(next - now);
    }, after);
    this.#sweep.unref();
  }

  #takeIdle(): Connection | undefined {
    for (;;) {
      const connection = this.#idle.pop();
      if (!connection) return undefined;
      if (!connection.socket.destroyed && connection.socket.writable && connection.idleUntil > Date.now()) {
        connection.socket.ref();
        return connection;
      }
      connection.destroy();
    }
  }

  #nextWaiting(): Exchange | undefined {
    for (const exchange of this.#waiting) {
      this.#waiting.delete(exchange);
      if (!exchange.settled) return exchange;
    }
    return undefined;
  }

  #onClosed(connection: Connection): void {
    this.#open -= 1;
    this.#connections.delete(connection);
    const at = this.#idle.indexOf(connection);
    if (at !== -1) this.#idle.splice(at, 1);
    if (this.#open < this.#maxSockets && !this.#closed) {
      const next = this.#nextWaiting();
      if (next) this.#run(this.#connect(), next);
    }
    if (this.#open === 0 && this.#waiting.size === 0) this.#onEmpty();
  }
}
