// @vitest-environment happy-dom
import { beforeAll, describe, expect, it, vi } from "vitest";
import { base64UrlToBytes, bytesToBase64Url, subscribeWebPush, subscriptionToToken, unsubscribeWebPush } from "../../src/web/index.js";
import { rejection } from "../helpers/push-error.js";

/** A P-256 public key as a VAPID key is published: base64url of the 65-byte uncompressed point. */
async function vapidPublicKey(): Promise<string> {
  const pair = await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"]);
  return bytesToBase64Url(await crypto.subtle.exportKey("raw", pair.publicKey));
}

let KEY_A: string;
let KEY_B: string;
beforeAll(async () => {
  [KEY_A, KEY_B] = await Promise.all([vapidPublicKey(), vapidPublicKey()]);
});

const P256DH = new Uint8Array(65).fill(4);
const AUTH = new Uint8Array(16).fill(7);

interface FakeSubscriptionInit {
  endpoint: string;
  key?: Uint8Array | null;
  expirationTime?: number | null;
  withGetKey?: boolean;
}

function fakeSubscription(init: FakeSubscriptionInit) {
  const subscription = {
    endpoint: init.endpoint,
    expirationTime: init.expirationTime ?? null,
    options: { userVisibleOnly: true, applicationServerKey: init.key ? init.key.slice().buffer : null },
    getKey: init.withGetKey === false ? undefined : (name: PushEncryptionKeyName) => (name === "p256dh" ? P256DH : AUTH).slice().buffer,
    toJSON: () => ({ endpoint: init.endpoint, expirationTime: null, keys: { p256dh: "json-p256dh", auth: "json-auth" } }),
    unsubscribe: vi.fn(async () => true),
  };
  return subscription as typeof subscription & PushSubscription;
}

/** A service worker registration whose pushManager behaves like a browser's, with a scripted outcome. */
function fakeRegistration(options: { existing?: PushSubscription; permission?: PermissionState; subscribeError?: Error } = {}) {
  let current: PushSubscription | null = options.existing ?? null;
  let made = 0;
  const pushManager = {
    permissionState: vi.fn(async () => options.permission ?? "granted"),
    getSubscription: vi.fn(async () => current),
    subscribe: vi.fn(async (init: PushSubscriptionOptionsInit) => {
      if (options.subscribeError) throw options.subscribeError;
      const subscription = fakeSubscription({ endpoint: `https://push.example.net/new-${++made}`, key: new Uint8Array(init.applicationServerKey as Uint8Array) });
      subscription.unsubscribe.mockImplementation(async () => {
        current = null;
        return true;
      });
      current = subscription;
      return subscription;
    }),
  };
  return { registration: { pushManager } as unknown as ServiceWorkerRegistration, pushManager };
}

describe("subscriptionToToken", () => {
  it("reads the keys with getKey() as base64url", () => {
    const token = subscriptionToToken(fakeSubscription({ endpoint: "https://push.example.net/1", expirationTime: 1234 }));
    expect(token).toEqual({ endpoint: "https://push.example.net/1", expirationTime: 1234, keys: { p256dh: bytesToBase64Url(P256DH), auth: bytesToBase64Url(AUTH) } });
  });

  it("falls back to toJSON() when getKey() is missing", () => {
    expect(subscriptionToToken(fakeSubscription({ endpoint: "https://push.example.net/2", withGetKey: false }))).toEqual({
      endpoint: "https://push.example.net/2",
      keys: { p256dh: "json-p256dh", auth: "json-auth" },
    });
  });

  it("rejects a subscription without keys with PushError('bad-response')", async () => {
    const keyless = { endpoint: "https://push.example.net/3", expirationTime: null, getKey: () => null, toJSON: () => ({ endpoint: "https://push.example.net/3" }) };
    const error = await rejection(Promise.resolve().then(() => subscriptionToToken(keyless as unknown as PushSubscription)));
    expect(error.condition).toBe("bad-response");
  });
});

describe("subscribeWebPush", () => {
  it("subscribes with userVisibleOnly and the decoded applicationServerKey when there is no subscription", async () => {
    const { registration, pushManager } = fakeRegistration();
    const token = await subscribeWebPush(registration, { applicationServerKey: KEY_A });
    expect(pushManager.subscribe).toHaveBeenCalledTimes(1);
    const init = pushManager.subscribe.mock.calls[0]![0];
    expect(init.userVisibleOnly).toBe(true);
    expect(new Uint8Array(init.applicationServerKey as Uint8Array)).toEqual(base64UrlToBytes(KEY_A));
    expect(token).toEqual({ endpoint: "https://push.example.net/new-1", keys: { p256dh: bytesToBase64Url(P256DH), auth: bytesToBase64Url(AUTH) } });
  });

  it("reuses an existing subscription made with the same key", async () => {
    const existing = fakeSubscription({ endpoint: "https://push.example.net/kept", key: base64UrlToBytes(KEY_A) });
    const { registration, pushManager } = fakeRegistration({ existing });
    expect((await subscribeWebPush(registration, { applicationServerKey: KEY_A })).endpoint).toBe("https://push.example.net/kept");
    expect(pushManager.subscribe).not.toHaveBeenCalled();
    expect(existing.unsubscribe).not.toHaveBeenCalled();
  });

  it.each([
    ["made with another key", () => fakeSubscription({ endpoint: "https://push.example.net/old", key: base64UrlToBytes(KEY_B) })],
    ["whose key the browser does not report", () => fakeSubscription({ endpoint: "https://push.example.net/old", key: null })],
    ["that has expired", () => fakeSubscription({ endpoint: "https://push.example.net/old", key: base64UrlToBytes(KEY_A), expirationTime: Date.now() - 1 })],
  ])("unsubscribes a subscription %s, then subscribes anew", async (_case, makeExisting) => {
    const existing = makeExisting();
    const { registration, pushManager } = fakeRegistration({ existing });
    const token = await subscribeWebPush(registration, { applicationServerKey: KEY_A });
    expect(existing.unsubscribe).toHaveBeenCalledTimes(1);
    expect(existing.unsubscribe.mock.invocationCallOrder[0]!).toBeLessThan(pushManager.subscribe.mock.invocationCallOrder[0]!);
    expect(token.endpoint).toBe("https://push.example.net/new-1");
  });

  it("rejects with PushError('forbidden') when notifications are blocked, without subscribing", async () => {
    const { registration, pushManager } = fakeRegistration({ permission: "denied" });
    const error = await rejection(subscribeWebPush(registration, { applicationServerKey: KEY_A }));
    expect(error.condition).toBe("forbidden");
    expect(pushManager.subscribe).not.toHaveBeenCalled();
  });

  it.each([
    ["NotAllowedError", "forbidden"],
    ["AbortError", "service-unavailable"],
    ["InvalidStateError", "not-supported"],
    ["SomethingNew", "undefined-condition"],
  ])("maps a subscribe() rejection %s to PushError('%s') with the DOMException as cause", async (name, condition) => {
    const cause = new DOMException("refused", name);
    const { registration } = fakeRegistration({ subscribeError: cause });
    const error = await rejection(subscribeWebPush(registration, { applicationServerKey: KEY_A }));
    expect(error.condition).toBe(condition);
    expect(error.cause).toBe(cause);
  });

  it("rejects with PushError('not-supported') without a Push API", async () => {
    const error = await rejection(subscribeWebPush({} as ServiceWorkerRegistration, { applicationServerKey: KEY_A }));
    expect(error.condition).toBe("not-supported");
  });

  it("rejects a key that is not a 65-byte P-256 point with PushError('bad-request')", async () => {
    const { registration } = fakeRegistration();
    for (const applicationServerKey of [bytesToBase64Url(new Uint8Array(32)), "not*base64"]) {
      expect((await rejection(subscribeWebPush(registration, { applicationServerKey }))).condition).toBe("bad-request");
    }
  });
});

describe("unsubscribeWebPush", () => {
  it("ends the current subscription and says whether there was one", async () => {
    const existing = fakeSubscription({ endpoint: "https://push.example.net/old", key: base64UrlToBytes(KEY_A) });
    expect(await unsubscribeWebPush(fakeRegistration({ existing }).registration)).toBe(true);
    expect(existing.unsubscribe).toHaveBeenCalledTimes(1);
    expect(await unsubscribeWebPush(fakeRegistration().registration)).toBe(false);
  });
});
