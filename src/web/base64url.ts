import { PushError } from "../protocol/errors.js";

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Decodes base64url (RFC 4648 §5; padding optional). Uses `atob`, so it runs in browsers, workers, Deno and Node. */
export function base64UrlToBytes(text: string): Uint8Array<ArrayBuffer> {
  const unpadded = text.replace(/=+$/, "");
  if (!BASE64URL.test(unpadded) || unpadded.length % 4 === 1) throw new PushError("bad-request", `not base64url: '${text}'`);
  const binary = atob(unpadded.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(unpadded.length / 4) * 4, "="));
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/** Encodes bytes as base64url without padding, as Web Push keys are written. */
export function bytesToBase64Url(bytes: ArrayBuffer | ArrayBufferView): string {
  const view = ArrayBuffer.isView(bytes) ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : new Uint8Array(bytes);
  let binary = "";
  for (const byte of view) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
