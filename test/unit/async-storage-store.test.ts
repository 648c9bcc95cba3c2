import { describe, expect, it } from "vitest";
import { AsyncStorageStore } from "../../src/async-storage/index.js";
import { type AsyncStorageApi, memoryAsyncStorage } from "../helpers/memory-async-storage.js";
import { expectPushError, rejection } from "../helpers/push-error.js";
import { registration } from "../helpers/registration.js";
import { registrationStoreContract } from "../helpers/store-contract.js";

const PREFIX = "xmpp-push:registration:";

for (const api of ["minimal", "v2", "v3"] as AsyncStorageApi[]) {
  let values = new Map<string, string>();
  registrationStoreContract(`AsyncStorageStore over AsyncStorage (${api})`, {
    create: () => new AsyncStorageStore(memoryAsyncStorage(api, (values = new Map()))),
    reopen: () => new AsyncStorageStore(memoryAsyncStorage(api, values)),
  });
}

describe("AsyncStorageStore shares AsyncStorage with the app", () => {
  it("writes one JSON value per registration under prefix + id, and reads and lists only its own keys", async () => {
    const storage = memoryAsyncStorage();
    storage.values.set("app:settings", '{"theme":"dark"}');
    storage.values.set("app:not-json", "plain text");
    const store = new AsyncStorageStore(storage);
    await store.put(registration("a"));
    expect(JSON.parse(storage.values.get(`${PREFIX}a`)!)).toEqual(registration("a"));
    expect(await store.list()).toEqual([registration("a")]);
    await store.delete("a");
    expect([...storage.values.keys()]).toEqual(["app:settings", "app:not-json"]);
  });

  it("stores with different prefixes over one AsyncStorage do not see each other", async () => {
    const storage = memoryAsyncStorage();
    const work = new AsyncStorageStore(storage, { prefix: "work/" });
    const home = new AsyncStorageStore(storage, { prefix: "home/" });
    await work.put(registration("a"));
    expect(await home.list()).toEqual([]);
    expect(await home.get("a")).toBeUndefined();
    expect(storage.values.has("work/a")).toBe(true);
  });

  it("an empty prefix is refused: the store would read every key of the app", () => {
    expectPushError(() => new AsyncStorageStore(memoryAsyncStorage(), { prefix: "" }), "bad-request");
  });

  it("lists with one multiGet (v2) or getMany (v3) call when the storage has it, not one getItem per key", async () => {
    for (const [api, method] of [["v2", "multiGet"], ["v3", "getMany"]] as const) {
      const storage = memoryAsyncStorage(api);
      const store = new AsyncStorageStore(storage);
      await Promise.all(["a", "b", "c"].map((id) => store.put(registration(id))));
      expect(await store.list()).toHaveLength(3);
      expect(storage.calls).toMatchObject({ [method]: 1 });
      expect(storage.calls.getItem).toBeUndefined();
    }
  });
});

describe("AsyncStorageStore failures are PushError('storage'), and lose nothing", () => {
  const corrupt = ["{not json", "null", "[]", '"a string"', JSON.stringify({ id: "a" }), JSON.stringify(registration("other-id"))];

  it.each(corrupt)("a value that is no registration (%s) rejects get and list, naming its key; it and every other value stay", async (text) => {
    const storage = memoryAsyncStorage("v2");
    const store = new AsyncStorageStore(storage);
    await store.put(registration("b"));
    storage.values.set(`${PREFIX}a`, text);
    storage.values.set("app:key", "app value");

    const read = await rejection(store.get("a"));
    expect(read.condition).toBe("storage");
    expect(read.message).toContain(`'${PREFIX}a'`);
    const listed = await rejection(store.list());
    expect(listed.condition).toBe("storage");
    expect(listed.message).toContain(`'${PREFIX}a'`);

    expect(storage.values.get(`${PREFIX}a`)).toBe(text);
    expect(storage.values.get("app:key")).toBe("app value");
    expect(await store.get("b")).toEqual(registration("b"));
    // The way out the message names: remove the key; then the store works as before.
    await store.delete("a");
    expect(await store.list()).toEqual([registration("b")]);
  });

  it("a failed write rejects with the storage's error as cause, and the previous value stays", async () => {
    const storage = memoryAsyncStorage();
    const store = new AsyncStorageStore(storage);
    await store.put(registration("a", { token: "old" }));
    const full = new Error("database or disk is full");
    storage.setItem = async () => {
      throw full;
    };
    const error = await rejection(store.put(registration("a", { token: "new" })));
    expect(error.condition).toBe("storage");
    expect(error.cause).toBe(full);
    expect(error.message).toMatch(/could not write 'xmpp-push:registration:a' \(Error: database or disk is full\)/);
    expect(await store.get("a")).toEqual(registration("a", { token: "old" }));
  });

  it("a storage method that throws instead of rejecting (a missing native module) is the same error", async () => {
    const storage = memoryAsyncStorage();
    storage.getAllKeys = () => {
      throw new TypeError("Cannot read properties of null (reading 'getAllKeys')");
    };
    const error = await rejection(new AsyncStorageStore(storage).list());
    expect(error.condition).toBe("storage");
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it("a registration JSON cannot hold is rejected, not half written", async () => {
    const storage = memoryAsyncStorage();
    const store = new AsyncStorageStore(storage);
    const error = await rejection(store.put({ ...registration("a"), registeredAt: 1n as unknown as number }));
    expect(error.condition).toBe("storage");
    expect(storage.values.size).toBe(0);
  });
});
