// @vitest-environment happy-dom
import "fake-indexeddb/auto";
import { afterEach, describe, expect, it } from "vitest";
import type { RegistrationStore } from "../../src/client/store/types.js";
import type { WebPushSubscriptionJSON } from "../../src/client/types.js";
import { IdbStore } from "../../src/idb/index.js";
import { APP_SERVER, type Chain, createChain } from "../helpers/chain.js";
import { fakeLockManager, freshDbName } from "./helpers.js";

/**
 * The requirement behind `lock()`: two tabs of one app, each with its own connection (same
 * account, different resources) and its own IdbStore on the same database, call subscribe() at
 * the same moment. Neither passes a deviceId: the first one stores it, the second must find it.
 */

let chain: Chain;
const stores: IdbStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) store.close();
  await chain?.close();
});

const SUBSCRIPTION: WebPushSubscriptionJSON = {
  endpoint: "https://push.example.net/send/abc",
  keys: { p256dh: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM", auth: "tBHItJI5svbpez7KI4CCXg" },
};

async function subscribeFromTwoTabs(storeFor: () => RegistrationStore) {
  chain = createChain();
  const tabs = await Promise.all(["tab-1", "tab-2"].map((resource) => chain.device("bob", resource, { store: storeFor() })));
  const results = await Promise.all(tabs.map(({ push }) => push.subscribe({ appServer: APP_SERVER, provider: "webpush", token: SUBSCRIPTION })));
  return { tabs, results };
}

function tabStore(name: string, locks: LockManager | null): IdbStore {
  const store = new IdbStore({ name, locks });
  stores.push(store);
  return store;
}

describe("two tabs subscribing at once through one IdbStore database", () => {
  it.each([
    ["Web Locks", () => fakeLockManager().locks],
    ["the IndexedDB lease lock", () => null],
  ])("end with ONE registration everywhere (%s)", async (_kind, makeLocks) => {
    const name = freshDbName();
    const locks = makeLocks(); // one LockManager per origin, shared by both tabs
    const { tabs, results } = await subscribeFromTwoTabs(() => tabStore(name, locks));

    expect(results[1]!.node).toBe(results[0]!.node);
    expect(results[1]!.deviceId).toBe(results[0]!.deviceId);
    expect(chain.appServer.registrations("bob@example.test")).toHaveLength(1);
    expect(chain.server.registrations("bob")).toHaveLength(1);
    expect(await tabs[0]!.push.store.list()).toEqual([expect.objectContaining({ node: results[0]!.node, provider: "webpush" })]);
    expect(await tabs[1]!.push.registrations()).toHaveLength(1);
  });

  it("without a lock the same race leaves two registrations: this is what lock() prevents", async () => {
    const name = freshDbName();
    const withoutLock = (): RegistrationStore => {
      const store = tabStore(name, null);
      return { get: (id) => store.get(id), put: (registration) => store.put(registration), delete: (id) => store.delete(id), list: () => store.list() };
    };
    const { results } = await subscribeFromTwoTabs(withoutLock);
    expect(results[1]!.deviceId).not.toBe(results[0]!.deviceId);
    expect(chain.appServer.registrations("bob@example.test")).toHaveLength(2);
  });
});
