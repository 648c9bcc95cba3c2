// The `xmpp-push/idb` entry: every public name, listed (test/build/public-surface.test.ts checks it).
export { IdbStore, type IdbStoreOptions } from "./idb-store.js";
