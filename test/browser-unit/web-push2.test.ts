// @vitest-environment happy-dom
/**
 * `webPushSubscriber` of xmpp-push/web, the browser half of `subscribePush2` (C24): subscribes
 * with the device's VAPID public key that `createVapidKeys` makes through Web Crypto, reuses a
 * subscription made with the same key, replaces one made with another. The PushManager is a mock.
 */
import { describe, expect, it, vi } from "vitest";
import { createVapidKeys } from "../../src/client/push2/keys.js";
import { base64UrlToBytes, webPushSubscriber } from "../../src/web/index.js";

const P256DH = Uint8Array.from([4, ...new Uint8Array(64).fill(9)]);
const AUTH = new Uint8Array(16).fill(7);

function fakeRegistration() {
  let current: PushSubscription | null = null;
  let made = 0;
  const make = (key: Uint8Array) => {
    const subscription = {
      endpoint: `https://push.example.net/sub-${++made}`,
      expirationTime: null,
      options: { userVisibleOnly: true, applicationServerKey: key.slice().buffer },
      getKey: (name: PushEncryptionKeyName) => (name === "p256dh" ? P256DH : AUTH).slice().buffer,
      unsubscribe: vi.fn(async () => {
        current = null;
        return true;
      }),
    };
    return subscription as unknown as PushSubscription;
  };
  const pushManager = {
    permissionState: vi.fn(async () => "granted" as PermissionState),
    getSubscription: vi.fn(async () => current),
    subscribe: vi.fn(async (init: PushSubscriptionOptionsInit) => {
      current = make(new Uint8Array(init.applicationServerKey as Uint8Array));
      return current;
    }),
  };
  return { registration: { pushManager } as unknown as ServiceWorkerRegistration, pushManager };
}

describe("webPushSubscriber (C23, C24)", () => {
  it("subscribes with the VAPID public key createVapidKeys made: a 65-byte uncompressed P-256 point", async () => {
    const keys = await createVapidKeys();
    const publicKey = base64UrlToBytes(keys.publicKey);
    expect(publicKey).toHaveLength(65);
    expect(publicKey[0]).toBe(0x04);
    // The private half is PKCS#8 that Web Crypto takes back as an ES256 signing key.
    await expect(crypto.subtle.importKey("pkcs8", Uint8Array.from(atob(keys.privateKey), (c) => c.charCodeAt(0)), { name: "ECDSA", namedCurve: "P-256" }, false, ["sign"])).resolves.toBeDefined();

    const { registration, pushManager } = fakeRegistration();
    const subscription = await webPushSubscriber(registration)(keys.publicKey);
    expect(pushManager.subscribe).toHaveBeenCalledTimes(1);
    expect([...new Uint8Array(pushManager.subscribe.mock.calls[0]![0].applicationServerKey as Uint8Array)]).toEqual([...publicKey]);
    expect(subscription).toEqual({ endpoint: "https://push.example.net/sub-1", keys: { p256dh: expect.any(String), auth: expect.any(String) } });
    expect([...base64UrlToBytes(subscription.keys.p256dh)]).toEqual([...P256DH]);
  });

  it("the same key again reuses the subscription; a new key replaces it", async () => {
    const [first, second] = await Promise.all([createVapidKeys(), createVapidKeys()]);
    const { registration, pushManager } = fakeRegistration();
    const subscribe = webPushSubscriber(registration);
    const made = await subscribe(first.publicKey);
    expect(await subscribe(first.publicKey)).toEqual(made);
    expect(pushManager.subscribe).toHaveBeenCalledTimes(1);
    const replaced = await subscribe(second.publicKey);
    expect(replaced.endpoint).not.toBe(made.endpoint);
    expect(pushManager.subscribe).toHaveBeenCalledTimes(2);
  });

  it("rejects with PushError('bad-request') for a key that is not a P-256 point, subscribing nothing", async () => {
    const { registration, pushManager } = fakeRegistration();
    await expect(webPushSubscriber(registration)("AAAA")).rejects.toMatchObject({ condition: "bad-request" });
    expect(pushManager.subscribe).not.toHaveBeenCalled();
  });
});
