import { type Element, parseEncrypted, PushError, type TigaseEncrypted, type TigaseNotification } from "../protocol/index.js";
import { decryptTigasePayload, type EncryptionKeyHolder } from "../protocol/tigase-notification.js";

export type { EncryptionKeyHolder } from "../protocol/tigase-notification.js";

/**
 * Decrypts a Tigase-encrypted push (`tigase:push:encrypt:0`, AES-128-GCM) with the key kept in
 * the registration, and parses its JSON (T12, T13). Web Crypto only, so it runs in browsers,
 * service workers, Deno and Node; React Native needs a `crypto.subtle` polyfill.
 *
 * Fails with `PushError('bad-response')` for a wrong key, a damaged or truncated ciphertext or
 * tag (AES-GCM authenticates), bad base64 or IV, and a plaintext that is not the JSON object
 * Tigase writes; with `PushError('bad-request')` when the registration holds no key.
 */
export async function decryptNotification(registration: EncryptionKeyHolder, encrypted: Element | TigaseEncrypted): Promise<TigaseNotification> {
  return decryptTigasePayload(registration, isElement(encrypted) ? readElement(encrypted) : encrypted);
}

function isElement(value: Element | TigaseEncrypted): value is Element {
  return typeof (value as Element).getChildElements === "function";
}

function readElement(element: Element): TigaseEncrypted {
  try {
    return parseEncrypted(element);
  } catch (error) {
    throw new PushError("bad-response", error instanceof Error ? error.message : String(error), { cause: error, stanza: element });
  }
}
