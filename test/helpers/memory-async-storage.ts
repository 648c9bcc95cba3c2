import type { AsyncStorageLike } from "../../src/async-storage/index.js";

export type AsyncStorageApi = "minimal" | "v2" | "v3";

/** AsyncStorage as it behaves on a device, in memory: the four required methods, plus v2's `multiGet` or v3's `getMany`. */
export interface MemoryAsyncStorage extends AsyncStorageLike {
  readonly values: Map<string, string>;
  /** How often each method was called. */
  readonly calls: Record<string, number>;
}

export function memoryAsyncStorage(api: AsyncStorageApi = "minimal", values = new Map<string, string>()): MemoryAsyncStorage {
  const calls: Record<string, number> = {};
  const count = (name: string): void => void (calls[name] = (calls[name] ?? 0) + 1);
  const storage: MemoryAsyncStorage = {
    values,
    calls,
    async getItem(key) {
      count("getItem");
      return values.get(key) ?? null;
    },
    async setItem(key, value) {
      count("setItem");
      values.set(key, value);
    },
    async removeItem(key) {
      count("removeItem");
      values.delete(key);
    },
    async getAllKeys() {
      count("getAllKeys");
      return [...values.keys()];
    },
  };
  if (api === "v2") {
    storage.multiGet = async (keys) => {
      count("multiGet");
      return keys.map((key) => [key, values.get(key) ?? null] as const);
    };
  }
  if (api === "v3") {
    storage.getMany = async (keys) => {
      count("getMany");
      return Object.fromEntries(keys.map((key) => [key, values.get(key) ?? null]));
    };
  }
  return storage;
}
