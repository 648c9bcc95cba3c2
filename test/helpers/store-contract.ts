import { describe, expect, it } from "vitest";
import { registrationId } from "../../src/client/push-client.js";
import type { RegistrationStore } from "../../src/index.js";
import { registration } from "./registration.js";

export interface StoreFactory {
  /** A new, empty store. */
  create(): RegistrationStore | Promise<RegistrationStore>;
  /**
   * A second store over the same storage as the last one created (an app restart, a reload).
   * Absent for stores that keep nothing beyond their own lifetime (MemoryStore).
   */
  reopen?(): RegistrationStore | Promise<RegistrationStore>;
}

/**
 * What PushClient relies on from every `RegistrationStore`: run by each store's test file, so
 * that MemoryStore, IdbStore and AsyncStorageStore are held to the same contract.
 */
export function registrationStoreContract(name: string, factory: StoreFactory): void {
  describe(`${name} keeps the RegistrationStore contract`, () => {
    it("put, get, list and delete, keyed by registration.id; a put on the same id replaces", async () => {
      const store = await factory.create();
      expect(await store.list()).toEqual([]);
      expect(await store.get("a")).toBeUndefined();
      await store.put(registration("a"));
      await store.put(registration("b", { provider: "fcm" }));
      expect(await store.get("a")).toEqual(registration("a"));
      expect((await store.list()).map((stored) => stored.id).sort()).toEqual(["a", "b"]);

      await store.put(registration("a", { token: "new" }));
      expect(await store.get("a")).toEqual(registration("a", { token: "new" }));
      expect(await store.list()).toHaveLength(2);

      await store.delete("a");
      expect(await store.get("a")).toBeUndefined();
      expect(await store.list()).toEqual([registration("b", { provider: "fcm" })]);
      await store.delete("missing");
    });

    it("hands out copies: changing a registration after put, get or list changes nothing stored", async () => {
      const store = await factory.create();
      const original = registration("a");
      await store.put(original);
      original.token = "changed after put";
      original.publishOptions.secret = "changed after put";
      const read = await store.get("a");
      read!.node = "changed after get";
      (await store.list())[0]!.publishOptions.secret = "changed after list";
      expect(await store.get("a")).toEqual(registration("a"));
    });

    it("keeps every field PushClient writes, with the ids it makes (spaces, JIDs) and any text", async () => {
      const store = await factory.create();
      const id = registrationId("bob@example.test", "push.example.test", "apns", "3f9c…");
      const full = registration(id, {
        provider: "apns",
        deviceId: "3f9c…",
        deviceName: `Bob's <"phone"> & tablet — Ünïcødé 📱`,
        token: JSON.stringify({ endpoint: "https://push.example/1", keys: { p256dh: "p", auth: "a" } }),
        secret: "s3cr3t",
        publishOptions: { secret: "s3cr3t", "custom-field": "x" },
        registeredAt: 1_700_000_000_000,
        enabledAt: 1_700_000_000_500,
        accountFeatures: ["http://jabber.org/protocol/disco#info", "urn:xmpp:push:0"],
      });
      await store.put(full);
      expect(await store.get(id)).toEqual(full);
      expect(await store.list()).toEqual([full]);
    });

    it("concurrent puts of different registrations all land", async () => {
      const store = await factory.create();
      const ids = Array.from({ length: 12 }, (_, index) => `r${index}`);
      await Promise.all(ids.map((id) => store.put(registration(id))));
      expect((await store.list()).map((stored) => stored.id).sort()).toEqual([...ids].sort());
    });

    if (factory.reopen) {
      const reopen = factory.reopen;
      it("survives a restart: a new store over the same storage sees the registrations", async () => {
        const before = await factory.create();
        await before.put(registration("a"));
        await before.put(registration("b"));
        await before.delete("b");
        const after = await reopen();
        expect(await after.get("a")).toEqual(registration("a"));
        expect(await after.list()).toEqual([registration("a")]);
      });
    }
  });
}
