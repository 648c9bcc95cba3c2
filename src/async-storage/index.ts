// The `xmpp-push/async-storage` entry: every public name, listed (test/build/public-surface.test.ts checks it).
export { AsyncStorageStore, type AsyncStorageLike, type AsyncStorageStoreOptions } from "./async-storage-store.js";
