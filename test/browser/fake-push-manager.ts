import type { MintedSubscription } from "../../src/node/index.js";

/** The page binding the replacement calls: mints a subscription at the push-service simulator. */
export const MINT_BINDING = "mintPushSubscription";
export type MintBinding = (applicationServerKey: string) => MintedSubscription;

/**
 * An init script that replaces `PushManager.prototype.subscribe` (and `getSubscription`, so the
 * two agree): this machine has no internet, so Chromium can never reach its real push service.
 * The subscription it returns is minted by the push-service simulator for the key the page asked
 * for, so the app server's pushes really go there, VAPID-signed and encrypted for its keys.
 * Plain JavaScript text: a function would be serialised with whatever helpers the test transform
 * added to it.
 */
export const FAKE_PUSH_MANAGER = `(() => {
  const toBase64Url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
  const fromBase64Url = (text) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
  const bytesOf = (source) => ArrayBuffer.isView(source) ? new Uint8Array(source.buffer, source.byteOffset, source.byteLength) : new Uint8Array(source);
  let current = null;
  PushManager.prototype.subscribe = async function (options) {
    const key = typeof options.applicationServerKey === "string" ? options.applicationServerKey : toBase64Url(bytesOf(options.applicationServerKey));
    const minted = await window.${MINT_BINDING}(key);
    const keys = { p256dh: fromBase64Url(minted.keys.p256dh).buffer, auth: fromBase64Url(minted.keys.auth).buffer };
    current = {
      endpoint: minted.endpoint,
      expirationTime: null,
      options: { userVisibleOnly: true, applicationServerKey: fromBase64Url(key).buffer },
      getKey: (name) => keys[name] ?? null,
      toJSON: () => minted,
      unsubscribe: async () => { current = null; return true; },
    };
    return current;
  };
  PushManager.prototype.getSubscription = async function () { return current; };
})();`;
