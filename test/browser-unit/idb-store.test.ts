// @vitest-environment happy-dom
import "fake-indexeddb/auto";
import { openDB } from "idb";
import { afterEach, describe, expect, it, vi } from "vitest";
import { openRegistrationDb } from "../../src/idb/database.js";
import { IdbStore } from "../../src/idb/index.js";
import { rejection } from "../helpers/push-error.js";
import { registration } from "../helpers/registration.js";
import { registrationStoreContract } from "../helpers/store-contract.js";
import { freshDbName } from "./helpers.js";

const stores: IdbStore[] = [];
function store(name: string): IdbStore {
  const created = new IdbStore({ name });
  stores.push(created);
  return created;
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  for (const created of stores.splice(0)) created.close();
});

let lastName = "";
registrationStoreContract("IdbStore", {
  create: () => store((lastName = freshDbName())),
  reopen: () => store(lastName),
});

describe("IdbStore keeps registrations in IndexedDB", () => {
  it("another database does not see them", async () => {
    await store(freshDbName()).put(registration("a"));
    expect(await store(freshDbName()).list()).toEqual([]);
  });

  it('uses the database "xmpp-push" by default', () => {
    expect(new IdbStore().name).toBe("xmpp-push");
  });
});

describe("IdbStore failures are PushError('storage'), never a silent loss", () => {
  it("no IndexedDB at all (Deno, some private modes): every operation rejects, and a later call retries", async () => {
    const registrations = store(freshDbName());
    vi.stubGlobal("indexedDB", undefined);
    for (const operation of [() => registrations.list(), () => registrations.get("a"), () => registrations.put(registration("a")), () => registrations.delete("a")]) {
      const error = await rejection(operation());
      expect(error.condition).toBe("storage");
      expect(error.message).toMatch(/IndexedDB is not available/);
      expect(error.cause).toBeInstanceOf(TypeError);
    }
    vi.unstubAllGlobals();
    await registrations.put(registration("a"));
    expect(await registrations.list()).toEqual([registration("a")]);
  });

  it("an open blocked by another tab that keeps the old version open rejects (the next version of the schema)", async () => {
    const name = freshDbName();
    const oldTab = await openDB(name, 1); // an old tab that ignores "versionchange"
    const error = await rejection(openRegistrationDb(name, { version: 2 }));
    expect(error.condition).toBe("storage");
    expect(error.message).toMatch(/blocked by another tab holding v1/);

    oldTab.close();
    // The open that was blocked completes now; it must not keep the database from the next version.
    const next = await openRegistrationDb(name, { version: 3 });
    expect([...next.objectStoreNames].sort()).toEqual(["locks", "registrations"]);
    next.close();
  });

  it("an IdbStore steps aside for a newer version opened in another tab, then reports that it cannot open it", async () => {
    const name = freshDbName();
    const registrations = store(name);
    await registrations.put(registration("a"));
    const newerTab = await Promise.race([
      openDB(name, 2),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("the upgrade stayed blocked by the IdbStore")), 1000)),
    ]);
    const error = await rejection(registrations.get("a"));
    expect(error.condition).toBe("storage");
    expect((error.cause as Error).name).toBe("VersionError");
    newerTab.close();
  });

  it("a write whose transaction aborts rejects and leaves the previous value intact", async () => {
    const registrations = store(freshDbName());
    await registrations.put(registration("a", { token: "old" }));
    const realPut = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, "put").mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore["put"]>) {
      const request = realPut.apply(this, args);
      this.transaction.abort(); // after the write was issued: it must be rolled back
      return request;
    });
    const error = await rejection(registrations.put(registration("a", { token: "new" })));
    expect(error.condition).toBe("storage");
    expect((error.cause as Error).name).toBe("AbortError");
    vi.restoreAllMocks();
    expect(await registrations.get("a")).toEqual(registration("a", { token: "old" }));
  });

  it("a write over quota rejects with the QuotaExceededError as cause and leaves the previous value intact", async () => {
    const registrations = store(freshDbName());
    await registrations.put(registration("a", { token: "old" }));
    vi.spyOn(IDBObjectStore.prototype, "put").mockImplementation(() => {
      throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    });
    const error = await rejection(registrations.put(registration("a", { token: "new" })));
    expect(error.condition).toBe("storage");
    expect((error.cause as DOMException).name).toBe("QuotaExceededError");
    expect(error.message).toMatch(/QuotaExceededError/);
    vi.restoreAllMocks();
    expect(await registrations.get("a")).toEqual(registration("a", { token: "old" }));
  });

  it("a registration IndexedDB cannot clone is rejected, not dropped", async () => {
    const registrations = store(freshDbName());
    const unclonable = { ...registration("a"), onChange: () => undefined };
    const error = await rejection(registrations.put(unclonable));
    expect(error.condition).toBe("storage");
    expect(await registrations.list()).toEqual([]);
  });
});
