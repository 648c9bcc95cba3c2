export { IdbStore, type IdbStoreOptions } from "./idb-store.js";
