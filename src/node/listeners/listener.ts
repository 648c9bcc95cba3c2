import { Admission } from "../../sim/transport/admission.js";

/** A running listener of the reference server. */
export interface XmppListener {
  /** The service URI @xmpp/client connects to, e.g. `xmpp://127.0.0.1:5222` or `ws://127.0.0.1:5280/xmpp-websocket`. */
  readonly service: string;
  readonly port: number;
  /** Stops accepting connections and closes the open ones. */
  close(): Promise<void>;
}

export interface ListenOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default 127.0.0.1: loopback only. */
  host?: string;
  /**
   * Connections that may wait to authenticate at once (default 1 000). A new one over the cap
   * pushes out the oldest waiting one with `resource-constraint`; the server's `authTimeout`
   * ends those that wait too long anyway.
   */
  maxUnauthenticated?: number;
  /**
   * Bytes that may wait to be written to one client (default 16 MiB). A client that reads
   * slower than it is sent to is disconnected beyond it; already past 64 KiB the server stops
   * reading what that client sends until it catches up.
   */
  maxBufferedOutput?: number;
}

/** The server side of a listener: what every connection it accepts shares. */
export interface ListenerPolicy {
  readonly admission: Admission;
  readonly maxBufferedOutput: number;
  /** Past this much unwritten output the connection's input is paused. */
  readonly pauseReadingAbove: number;
}

export function listenerPolicy(options: ListenOptions): ListenerPolicy {
  return {
    admission: new Admission(options.maxUnauthenticated ?? 1000),
    maxBufferedOutput: options.maxBufferedOutput ?? 16 * 1024 * 1024,
    pauseReadingAbove: 64 * 1024,
  };
}

/** Loopback connections count as confidential, as @xmpp/websocket and Prosody's consider_websocket_secure do. */
export function isLoopback(address: string | undefined): boolean {
  return address === "127.0.0.1" || address === "::1" || address === "::ffff:127.0.0.1" || address?.startsWith("127.") === true;
}
