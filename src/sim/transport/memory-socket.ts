import { EventEmitter } from "@xmpp/events";
import type { ClientLink, ServerSession } from "./link.js";
import { createDeliveryQueue } from "./macrotask.js";
import { findMemoryService } from "./registry.js";

/** A frame, or `null` for "the connection is gone". */
type Transfer = string | null;

/**
 * The client side of an in-memory connection, shaped like @xmpp/websocket's Socket: it emits
 * `connect`, `data`, `close` and `error`, and has `write(data, callback)` and `end()`. Frames
 * travel as strings, so every stanza goes through the same serialize → parse path as on a socket.
 */
export class MemorySocket extends EventEmitter {
  secure = false;
  #session: ServerSession | undefined;
  #open = false;

  readonly #toServer = createDeliveryQueue<{ session: ServerSession; transfer: Transfer }>(({ session, transfer }) => {
    if (transfer === null) session.disconnected();
    else session.receive(transfer);
  });

  readonly #toClient = createDeliveryQueue<Transfer>((transfer) => {
    if (!this.#open) return;
    if (transfer !== null) {
      this.emit("data", transfer);
      return;
    }
    this.#open = false;
    this.#session = undefined;
    this.emit("close", false);
  });

  connect(service: string): void {
    const acceptor = findMemoryService(service);
    if (!acceptor) {
      setTimeout(() => this.emit("error", new Error(`no in-memory XMPP server at ${service}`)), 0);
      return;
    }
    const link: ClientLink = {
      secure: true,
      send: (frame) => this.#toClient(frame),
      close: () => this.#toClient(null),
    };
    this.secure = link.secure;
    this.#open = true;
    this.#session = acceptor.accept(link);
    setTimeout(() => this.emit("connect"), 0);
  }

  write(data: string, callback?: (error?: Error) => void): void {
    const session = this.#session;
    if (!this.#open || !session) {
      if (callback) queueMicrotask(() => callback(new Error("in-memory socket is closed")));
      return;
    }
    this.#toServer({ session, transfer: data });
    if (callback) queueMicrotask(() => callback());
  }

  /** Closes from the client side: the server sees the connection drop after the frames already written. */
  end(): void {
    const session = this.#session;
    if (!this.#open || !session) return;
    this.#toServer({ session, transfer: null });
    this.#toClient(null);
  }
}
