import { type DBSchema, type IDBPDatabase, openDB } from "idb";
import type { Registration } from "../client/types.js";
import { PushError } from "../protocol/errors.js";
import { storageError } from "../client/store/storage-error.js";

/** A cross-tab lock held in IndexedDB when Web Locks are missing (see lease-lock.ts). */
export interface LeaseRecord {
  name: string;
  /** Random id of the `lock()` call that holds it. */
  owner: string;
  /** `Date.now()` after which the lease counts as abandoned. */
  expires: number;
}

export interface RegistrationDb extends DBSchema {
  registrations: { key: string; value: Registration };
  locks: { key: string; value: LeaseRecord };
}

export type RegistrationDatabase = IDBPDatabase<RegistrationDb>;

export const SCHEMA_VERSION = 1;

export interface OpenOptions {
  version?: number;
  /** The connection was closed under us: another tab upgrades the database, or the browser dropped it. */
  onClose?: () => void;
}

/**
 * Opens (creating or upgrading) the database. Every failure is a `PushError('storage')`: no
 * IndexedDB at all (Deno: `openDB` throws synchronously), an open blocked by another tab that
 * keeps an older version open, a database already upgraded by a newer version of the app.
 */
export function openRegistrationDb(name: string, options: OpenOptions = {}): Promise<RegistrationDatabase> {
  return new Promise((resolve, reject) => {
    let blocked = false;
    let opening: Promise<RegistrationDatabase>;
    try {
      opening = openDB<RegistrationDb>(name, options.version ?? SCHEMA_VERSION, {
        upgrade(db) {
          if (!db.objectStoreNames.contains("registrations")) db.createObjectStore("registrations", { keyPath: "id" });
          if (!db.objectStoreNames.contains("locks")) db.createObjectStore("locks", { keyPath: "name" });
        },
        blocked(currentVersion, blockedVersion) {
          blocked = true;
          reject(
            new PushError("storage", `IndexedDB '${name}' v${blockedVersion} is blocked by another tab holding v${currentVersion} open: close or reload the other tabs`),
          );
        },
        blocking(_currentVersion, _blockedVersion, event) {
          // Step aside so that the other tab's newer version can upgrade; our next operation reopens.
          (event.target as IDBDatabase).close();
          options.onClose?.();
        },
        terminated() {
          options.onClose?.();
        },
      });
    } catch (error) {
      reject(storageError("IndexedDB is not available", error));
      return;
    }
    opening.then(
      (db) => {
        // The caller already got the "blocked" error; a connection that opens later is nobody's.
        if (blocked) db.close();
        else resolve(db);
      },
      (error: unknown) => reject(storageError(`IndexedDB '${name}' could not be opened`, error)),
    );
  });
}
