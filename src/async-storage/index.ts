export { AsyncStorageStore, type AsyncStorageLike, type AsyncStorageStoreOptions } from "./async-storage-store.js";
