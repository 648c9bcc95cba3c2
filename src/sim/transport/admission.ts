/** A connection that has not authenticated yet, which its listener's admission may evict. */
export interface PendingConnection {
  /** Ends the connection with a stream error: newer connections pushed it out. */
  evict(): void;
}

/**
 * Caps one listener's connections that have not authenticated. Over the cap the oldest pending
 * connection is evicted rather than the newest refused: idle or slow connections cannot lock
 * out a client that logs in promptly, and an attacker must keep opening connections faster
 * than clients authenticate to get in the way at all.
 */
export class Admission {
  readonly #pending = new Set<PendingConnection>();

  constructor(readonly max: number) {}

  get pending(): number {
    return this.#pending.size;
  }

  admit(connection: PendingConnection): void {
    this.#pending.add(connection);
    while (this.#pending.size > this.max) {
      const oldest = this.#pending.values().next().value as PendingConnection;
      this.#pending.delete(oldest);
      oldest.evict();
    }
  }

  /** The connection authenticated or closed: it no longer counts. */
  release(connection: PendingConnection): void {
    this.#pending.delete(connection);
  }
}
