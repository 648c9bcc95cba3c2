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
}

/** Loopback connections count as confidential, as @xmpp/websocket and Prosody's consider_websocket_secure do. */
export function isLoopback(address: string | undefined): boolean {
  return address === "127.0.0.1" || address === "::1" || address === "::ffff:127.0.0.1" || address?.startsWith("127.") === true;
}
