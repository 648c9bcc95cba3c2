import { storageError } from "../client/store/storage-error.js";
import type { RegistrationStore } from "../client/store/types.js";
import type { Registration } from "../client/types.js";
import { PushError } from "../protocol/errors.js";

/**
 * The part of React Native's AsyncStorage the store uses — `@react-native-async-storage/async-storage`
 * (v1, v2 and v3) fits as it is, and so does any key-value storage with these four methods.
 */
export interface AsyncStorageLike {
  getItem(key: string): Promise<string | null | undefined>;
  setItem(key: string, value: string): Promise<unknown>;
  removeItem(key: string): Promise<unknown>;
  getAllKeys(): Promise<readonly string[]>;
  /** Optional (AsyncStorage v1/v2): reads many keys in one call. */
  multiGet?(keys: string[]): Promise<readonly (readonly [string, string | null])[]>;
  /** Optional (AsyncStorage v3's name for the same): reads many keys in one call. */
  getMany?(keys: string[]): Promise<Record<string, string | null>>;
}

export interface AsyncStorageStoreOptions {
  /**
   * Prepended to every key the store writes (default `"xmpp-push:registration:"`), so it can share
   * AsyncStorage with the app: it reads and writes only keys that start with it.
   */
  prefix?: string;
}

/**
 * Registrations in React Native's AsyncStorage (or anything shaped like it), one JSON value per
 * registration under `prefix + registration.id`, so that each write is one `setItem`: whole or not at all.
 * Every failure rejects with `PushError('storage')`; a value that is not a registration's JSON
 * rejects too, naming its key, and is left in place (nothing else is read past or removed).
 */
export class AsyncStorageStore implements RegistrationStore {
  readonly prefix: string;
  readonly #storage: AsyncStorageLike;

  constructor(storage: AsyncStorageLike, options: AsyncStorageStoreOptions = {}) {
    this.prefix = options.prefix ?? "xmpp-push:registration:";
    if (this.prefix === "") throw new PushError("bad-request", "AsyncStorageStore needs a non-empty key prefix: it must not read the app's own keys");
    this.#storage = storage;
  }

  async get(id: string): Promise<Registration | undefined> {
    const key = this.prefix + id;
    const text = await this.#call(`read '${key}'`, () => this.#storage.getItem(key));
    return text === null || text === undefined ? undefined : this.#parse(key, text);
  }

  async put(registration: Registration): Promise<void> {
    const key = this.prefix + registration.id;
    await this.#call(`write '${key}'`, () => this.#storage.setItem(key, JSON.stringify(registration)));
  }

  async delete(id: string): Promise<void> {
    const key = this.prefix + id;
    await this.#call(`remove '${key}'`, () => this.#storage.removeItem(key));
  }

  async list(): Promise<Registration[]> {
    const keys = (await this.#call("list keys", () => this.#storage.getAllKeys())).filter((key) => key.startsWith(this.prefix));
    if (keys.length === 0) return [];
    const registrations: Registration[] = [];
    const unreadable: string[] = [];
    for (const [key, text] of await this.#call("read registrations", () => this.#readMany(keys))) {
      // null: removed between getAllKeys and the read.
      if (text === null || text === undefined) continue;
      const registration = this.#tryParse(key, text);
      if (registration) registrations.push(registration);
      else unreadable.push(key);
    }
    if (unreadable.length > 0) throw unreadableError(unreadable);
    return registrations;
  }

  async #readMany(keys: string[]): Promise<(readonly [string, string | null | undefined])[]> {
    const storage = this.#storage;
    if (storage.multiGet) return [...(await storage.multiGet(keys))];
    if (storage.getMany) {
      const values = await storage.getMany(keys);
      return keys.map((key) => [key, values[key]] as const);
    }
    return Promise.all(keys.map(async (key) => [key, await storage.getItem(key)] as const));
  }

  #parse(key: string, text: string): Registration {
    const registration = this.#tryParse(key, text);
    if (!registration) throw unreadableError([key]);
    return registration;
  }

  #tryParse(key: string, text: string): Registration | undefined {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return undefined;
    }
    return isRegistration(value) && this.prefix + value.id === key ? value : undefined;
  }

  async #call<T>(what: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw storageError(`AsyncStorage: could not ${what}`, error);
    }
  }
}

function isRegistration(value: unknown): value is Registration {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const fields = value as Record<string, unknown>;
  return ["id", "account", "appServer", "provider", "deviceId", "jid", "node", "token"].every((field) => typeof fields[field] === "string");
}

function unreadableError(keys: string[]): PushError {
  const list = keys.map((key) => `'${key}'`).join(", ");
  return new PushError("storage", `AsyncStorage holds no valid registration under ${list}; it was left as it is (remove the key to start over)`);
}
