// @vitest-environment happy-dom
import "fake-indexeddb/auto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { openRegistrationDb } from "../../src/idb/database.js";
import { IdbStore, type IdbStoreOptions } from "../../src/idb/index.js";
import { PushError } from "../../src/protocol/errors.js";
import { rejection } from "../helpers/push-error.js";
import { fakeLockManager, freshDbName, serialized, traceConcurrentLockUsers } from "./helpers.js";

const stores: IdbStore[] = [];
function tab(options: IdbStoreOptions): IdbStore {
  const created = new IdbStore(options);
  stores.push(created);
  return created;
}

afterEach(() => {
  vi.unstubAllGlobals();
  for (const created of stores.splice(0)) created.close();
  Reflect.deleteProperty(navigator, "locks");
});

async function leaseRecords(name: string) {
  const db = await openRegistrationDb(name);
  try {
    return await db.getAll("locks");
  } finally {
    db.close();
  }
}

describe("IdbStore.lock with Web Locks", () => {
  it("asks for an exclusive lock scoped to the database, and two users run one after the other", async () => {
    const name = freshDbName();
    const { locks, requests } = fakeLockManager();
    const tabs = [tab({ name, locks }), tab({ name, locks })];
    const { trace, results } = await traceConcurrentLockUsers(tabs.map((store) => (task) => store.lock("xmpp-push:bob@example.test", task)));
    expect(serialized(trace)).toBe(true);
    expect(results).toEqual(["result 0", "result 1"]);
    expect(requests).toEqual([
      { name: `${name}:xmpp-push:bob@example.test`, mode: "exclusive" },
      { name: `${name}:xmpp-push:bob@example.test`, mode: "exclusive" },
    ]);
    expect(await leaseRecords(name)).toEqual([]); // no IndexedDB lease when Web Locks do the job
  });

  it("uses navigator.locks by default when the browser has it", async () => {
    const { locks, requests } = fakeLockManager();
    Object.defineProperty(navigator, "locks", { value: locks, configurable: true });
    const store = tab({ name: freshDbName() });
    expect(await store.lock("l", async () => "done")).toBe("done");
    expect(requests).toHaveLength(1);
  });

  it("passes the task's error through unchanged, and the next user still gets the lock", async () => {
    const { locks } = fakeLockManager();
    const store = tab({ name: freshDbName(), locks });
    const failure = new PushError("conflict", "from the task");
    await expect(store.lock("l", () => Promise.reject(failure))).rejects.toBe(failure);
    expect(await store.lock("l", async () => "next")).toBe("next");
  });
});

describe("IdbStore.lock without Web Locks: a lease record in IndexedDB", () => {
  it("falls back to it when navigator.locks is missing (happy-dom has none)", async () => {
    expect(navigator.locks ?? null).toBeNull();
    const name = freshDbName();
    const store = tab({ name });
    const seen = await store.lock("l", () => leaseRecords(name));
    expect(seen).toEqual([{ name: `${name}:l`, owner: expect.stringMatching(/^[0-9a-f]{32}$/), expires: expect.any(Number) }]);
    expect(await leaseRecords(name)).toEqual([]); // released
  });

  it("serializes users in two tabs (two IdbStores on one database)", async () => {
    const name = freshDbName();
    const tabs = [tab({ name, locks: null }), tab({ name, locks: null }), tab({ name, locks: null })];
    const { trace, results } = await traceConcurrentLockUsers(tabs.map((store) => (task) => store.lock("l", task)));
    expect(serialized(trace)).toBe(true);
    expect(trace).toHaveLength(6);
    expect(results).toEqual(["result 0", "result 1", "result 2"]);
  });

  it("renews the lease while a task runs longer than the lease", async () => {
    const name = freshDbName();
    const tabs = [tab({ name, locks: null, lockLease: 60 }), tab({ name, locks: null, lockLease: 60 })];
    const { trace } = await traceConcurrentLockUsers(
      tabs.map((store) => (task) => store.lock("l", task)),
      300,
    );
    expect(serialized(trace)).toBe(true);
  });

  it("takes over the expired lease of a tab that died holding it", async () => {
    const name = freshDbName();
    const db = await openRegistrationDb(name);
    await db.put("locks", { name: `${name}:l`, owner: "crashed-tab", expires: Date.now() - 1 });
    db.close();
    const started = Date.now();
    expect(await tab({ name, locks: null }).lock("l", async () => "mine")).toBe("mine");
    expect(Date.now() - started).toBeLessThan(500);
  });

  it("gives up with PushError('timeout') while another tab holds a live lease, without running the task", async () => {
    const name = freshDbName();
    const db = await openRegistrationDb(name);
    await db.put("locks", { name: `${name}:l`, owner: "other-tab", expires: Date.now() + 60_000 });
    db.close();
    const task = vi.fn(async () => "ran");
    const error = await rejection(tab({ name, locks: null, lockTimeout: 150 }).lock("l", task));
    expect(error.condition).toBe("timeout");
    expect(task).not.toHaveBeenCalled();
  });

  it("passes the task's error through unchanged and releases the lease", async () => {
    const name = freshDbName();
    const store = tab({ name, locks: null });
    const failure = new Error("from the task");
    await expect(store.lock("l", () => Promise.reject(failure))).rejects.toBe(failure);
    expect(await leaseRecords(name)).toEqual([]);
  });

  it("rejects with PushError('storage') when IndexedDB is missing", async () => {
    vi.stubGlobal("indexedDB", undefined);
    const task = vi.fn(async () => "ran");
    const error = await rejection(tab({ name: freshDbName(), locks: null }).lock("l", task));
    expect(error.condition).toBe("storage");
    expect(task).not.toHaveBeenCalled();
  });
});
