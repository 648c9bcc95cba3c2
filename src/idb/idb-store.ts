import type { RegistrationStore } from "../client/store/types.js";
import type { Registration } from "../client/types.js";
import { openRegistrationDb, type RegistrationDatabase } from "./database.js";
import { withLeaseLock } from "./lease-lock.js";
import { storageError } from "../client/store/storage-error.js";

export interface IdbStoreOptions {
  /** The IndexedDB database name (default `"xmpp-push"`). Tabs and workers using the same name share registrations and locks. */
  name?: string;
  /**
   * The Web Locks manager for `lock()` (default: `navigator.locks` when the browser has it).
   * `null` forces the IndexedDB lease lock, the fallback for browsers without Web Locks.
   */
  locks?: LockManager | null;
  /** Fallback lock only: milliseconds a lease lasts without renewal (default 10 000). */
  lockLease?: number;
  /** Fallback lock only: milliseconds to wait for another tab's lock before `PushError('timeout')` (default 30 000). */
  lockTimeout?: number;
}

/**
 * Registrations in IndexedDB, keyed by `registration.id`, shared by every tab and worker of the
 * origin and kept across reloads. Each write is one transaction: it happens whole or not at all.
 * Every failure rejects with `PushError('storage')` (the IndexedDB error as `cause`).
 */
export class IdbStore implements RegistrationStore {
  readonly name: string;
  readonly #locks: LockManager | null;
  readonly #lease: { lease: number; timeout: number };
  #connection: Promise<RegistrationDatabase> | undefined;

  constructor(options: IdbStoreOptions = {}) {
    this.name = options.name ?? "xmpp-push";
    this.#locks = options.locks === undefined ? defaultLocks() : options.locks;
    this.#lease = { lease: options.lockLease ?? 10_000, timeout: options.lockTimeout ?? 30_000 };
  }

  get(id: string): Promise<Registration | undefined> {
    return this.#run("read", (db) => db.get("registrations", id));
  }

  put(registration: Registration): Promise<void> {
    return this.#run("write", async (db) => {
      await db.put("registrations", registration);
    });
  }

  delete(id: string): Promise<void> {
    return this.#run("delete", (db) => db.delete("registrations", id));
  }

  list(): Promise<Registration[]> {
    return this.#run("list", (db) => db.getAll("registrations"));
  }

  /**
   * Runs `task` while holding the exclusive lock `name` for this database. With Web Locks the
   * browser guarantees exclusion across tabs and workers and frees the lock when a tab dies;
   * without them a lease record in IndexedDB does it (see `withLeaseLock` for its limits).
   * Errors of `task` pass through unchanged.
   */
  lock<T>(name: string, task: () => Promise<T>): Promise<T> {
    const scoped = `${this.name}:${name}`;
    let entered = false;
    const run = (): Promise<T> => {
      entered = true;
      return task();
    };
    const locks = this.#locks;
    const locked = (async () =>
      locks ? locks.request(scoped, { mode: "exclusive" }, run) : withLeaseLock(() => this.#connect(), scoped, run, this.#lease))();
    return locked.catch((error: unknown) => {
      throw entered ? error : storageError(`the lock '${scoped}' could not be taken`, error);
    });
  }

  /** Closes the connection; the next operation opens it again. */
  close(): void {
    const connection = this.#connection;
    this.#connection = undefined;
    void connection?.then((db) => db.close()).catch(() => undefined);
  }

  async #run<T>(what: string, operation: (db: RegistrationDatabase) => Promise<T>): Promise<T> {
    const db = await this.#connect();
    try {
      return await operation(db);
    } catch (error) {
      throw storageError(`IndexedDB ${what} in '${this.name}'`, error);
    }
  }

  #connect(): Promise<RegistrationDatabase> {
    if (!this.#connection) {
      const connection = openRegistrationDb(this.name, { onClose: () => this.#forget(connection) });
      // A failed open is not remembered: IndexedDB may work on the next call (another tab closed, quota freed).
      connection.catch(() => this.#forget(connection));
      this.#connection = connection;
    }
    return this.#connection;
  }

  #forget(connection: Promise<RegistrationDatabase>): void {
    if (this.#connection === connection) this.#connection = undefined;
  }
}

function defaultLocks(): LockManager | null {
  return (typeof navigator === "object" && navigator?.locks) || null;
}
