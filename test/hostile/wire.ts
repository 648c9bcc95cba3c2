import { connect as connectTcp, type Socket } from "node:net";
import { WebSocket } from "ws";

export type Transport = "tcp" | "ws";

/** How a raw connection ended. */
export interface Ending {
  /** The WebSocket close code, when the server closed a WebSocket. */
  wsCode?: number;
}

/**
 * One raw connection to an XMPP server, below any XMPP library: bytes or text out (WebSocket:
 * one frame per write), everything received kept as text, and a way to wait for what arrives.
 */
export interface Wire {
  readonly transport: Transport;
  /** Everything received so far. */
  readonly received: string;
  readonly isClosed: boolean;
  /** Resolves when the connection is gone, however it ended. */
  readonly ended: Promise<Ending>;
  /** Writes, waiting while the socket's buffer is full; false when the connection closed meanwhile. */
  write(data: string | Uint8Array): Promise<boolean>;
  /** Resolves with the first match of `pattern` in what was received (from `from` on), or rejects after `timeout` ms or at close. */
  waitFor(pattern: RegExp, timeout?: number, from?: number): Promise<RegExpExecArray>;
  /** Resolves once the connection ended or `timeout` ms passed: true when it ended. */
  waitForEnd(timeout: number): Promise<boolean>;
  destroy(): void;
}

const HIGH_WATER = 1024 * 1024;

export function openWire(transport: Transport, service: string): Promise<Wire> {
  return transport === "tcp" ? openTcpWire(service) : openWebSocketWire(service);
}

abstract class BaseWire implements Wire {
  abstract readonly transport: Transport;
  received = "";
  isClosed = false;
  readonly ended: Promise<Ending>;
  #end: (ending: Ending) => void = () => {};
  #waiters = new Set<() => void>();

  constructor() {
    this.ended = new Promise((resolve) => {
      this.#end = resolve;
    });
  }

  abstract write(data: string | Uint8Array): Promise<boolean>;
  abstract destroy(): void;

  protected onData(text: string): void {
    this.received += text;
    for (const wake of [...this.#waiters]) wake();
  }

  protected onEnd(ending: Ending): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.#end(ending);
    for (const wake of [...this.#waiters]) wake();
  }

  waitFor(pattern: RegExp, timeout = 5000, from = 0): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const match = new RegExp(pattern.source, pattern.flags.replace("g", "")).exec(this.received.slice(from));
        if (match) {
          done();
          resolve(match);
          return true;
        }
        if (this.isClosed) {
          done();
          reject(new Error(`connection closed before ${pattern} arrived; received: ${this.received.slice(-300)}`));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${pattern} within ${timeout} ms; received: ${this.received.slice(-300)}`));
      }, timeout);
      const done = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(wake);
      };
      const wake = (): void => void check();
      if (!check()) this.#waiters.add(wake);
    });
  }

  async waitForEnd(timeout: number): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ended = await Promise.race([this.ended.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeout)))]);
    clearTimeout(timer);
    return ended;
  }
}

class TcpWire extends BaseWire {
  readonly transport = "tcp" as const;
  readonly #decoder = new TextDecoder();

  constructor(readonly socket: Socket) {
    super();
    socket.on("data", (chunk) => this.onData(this.#decoder.decode(chunk, { stream: true })));
    socket.on("error", () => socket.destroy());
    socket.on("close", () => this.onEnd({}));
  }

  async write(data: string | Uint8Array): Promise<boolean> {
    if (this.isClosed || this.socket.destroyed) return false;
    if (this.socket.write(data) || this.socket.writableLength < HIGH_WATER) return true;
    const drained = new Promise<boolean>((resolve) => {
      const onDrain = (): void => finish(true);
      const onClose = (): void => finish(false);
      const finish = (value: boolean): void => {
        this.socket.off("drain", onDrain);
        this.socket.off("close", onClose);
        resolve(value);
      };
      this.socket.once("drain", onDrain);
      this.socket.once("close", onClose);
    });
    return drained;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

class WebSocketWire extends BaseWire {
  readonly transport = "ws" as const;

  constructor(readonly socket: WebSocket) {
    super();
    socket.on("message", (data) => this.onData(data.toString()));
    socket.on("error", () => socket.terminate());
    socket.on("close", (code) => this.onEnd({ wsCode: code }));
  }

  async write(data: string | Uint8Array): Promise<boolean> {
    if (this.isClosed || this.socket.readyState !== WebSocket.OPEN) return false;
    // Text frames always, even for raw bytes: a probe may put invalid UTF-8 in one.
    await new Promise<void>((resolve) => this.socket.send(data, { binary: false }, () => resolve()));
    return !this.isClosed;
  }

  destroy(): void {
    this.socket.terminate();
  }
}

function openTcpWire(service: string): Promise<Wire> {
  const url = new URL(service.replace(/^xmpp:/, "http:"));
  return new Promise((resolve, reject) => {
    const socket = connectTcp(Number(url.port), url.hostname.replace(/^\[|\]$/g, ""));
    socket.once("connect", () => resolve(new TcpWire(socket)));
    socket.once("error", reject);
  });
}

function openWebSocketWire(service: string): Promise<Wire> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(service, "xmpp");
    socket.once("open", () => resolve(new WebSocketWire(socket)));
    socket.once("error", reject);
  });
}
