import { PushError } from "./push-error.js";
import { missingFeature } from "./missing-feature.js";

/** Bytes backed by a plain ArrayBuffer, as Web Crypto takes them. */
export type Bytes = Uint8Array<ArrayBuffer>;

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Standard base64 (RFC 4648 §4) of bytes. `btoa`, so it runs in browsers, workers, Deno and Node. */
export function bytesToBase64(bytes: ArrayBuffer | ArrayBufferView): string {
  if (typeof globalThis.btoa !== "function") throw missingFeature("btoa", "base-64, as global.btoa = encode");
  const view = ArrayBuffer.isView(bytes) ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : new Uint8Array(bytes);
  return btoa(Array.from(view, (byte) => String.fromCharCode(byte)).join(""));
}

/** base64url without padding (RFC 4648 §5), as Web Push keys are written. */
export function bytesToBase64Url(bytes: ArrayBuffer | ArrayBufferView): string {
  return bytesToBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * Decodes base64 in either alphabet, padding optional: browsers give base64url, Push 2.0 style
 * keys and SASL use the standard one. Undefined when it is not base64.
 */
export function base64ToBytes(text: string): Bytes | undefined {
  const standard = text.replace(/-/g, "+").replace(/_/g, "/").replace(/={1,2}$/, "");
  if (!/^[A-Za-z0-9+/]*$/.test(standard) || standard.length % 4 === 1) return undefined;
  if (typeof globalThis.atob !== "function") throw missingFeature("atob", "base-64, as global.atob = decode");
  return Uint8Array.from(atob(standard.padEnd(Math.ceil(standard.length / 4) * 4, "=")), (char) => char.charCodeAt(0));
}

/** Decodes strict base64url (padding optional); anything else is `PushError('bad-request')`. */
export function base64UrlToBytes(text: string): Bytes {
  const bytes = BASE64URL.test(text.replace(/=+$/, "")) ? base64ToBytes(text) : undefined;
  if (!bytes) throw new PushError("bad-request", `not base64url: '${text}'`);
  return bytes;
}
