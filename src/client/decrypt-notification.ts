import {
  base64ToBytes,
  type Element,
  parseEncrypted,
  parseTigaseNotification,
  PushError,
  type TigaseEncrypted,
  type TigaseNotification,
} from "../protocol/index.js";
import { missingFeature } from "../protocol/missing-feature.js";

/** The part of a registration decryption needs: the key `subscribe()` generated and stored. */
export interface EncryptionKeyHolder {
  tigase?: { encryptionKey?: string };
}

// Tigase has used 12-byte IVs since January 2020 (tigase-server f87eea918), 16 bytes before (T12).
const IV_LENGTHS = [12, 16];
const TAG_BYTES = 16;

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
  const keyText = registration.tigase?.encryptionKey;
  if (!keyText) throw new PushError("bad-request", "the registration has no encryption key (subscribe with tigase: { encrypt: true })");
  const key = base64ToBytes(keyText);
  if (key?.length !== 16) throw new PushError("bad-request", "the registration's encryption key is not 16 bytes of base64");
  const { iv: ivText, payload } = isElement(encrypted) ? readElement(encrypted) : encrypted;
  const iv = base64ToBytes(ivText);
  if (!iv || !IV_LENGTHS.includes(iv.length)) throw new PushError("bad-response", `the IV is not ${IV_LENGTHS.join(" or ")} bytes of base64`);
  const sealed = base64ToBytes(payload);
  if (!sealed || sealed.length < TAG_BYTES) throw new PushError("bad-response", "the payload is not base64 of ciphertext and a 16-byte tag");

  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw missingFeature("crypto.subtle", "a Web Crypto polyfill such as react-native-quick-crypto");
  let plain: ArrayBuffer;
  try {
    const cryptoKey = await subtle.importKey("raw", key, "AES-GCM", false, ["decrypt"]);
    plain = await subtle.decrypt({ name: "AES-GCM", iv, tagLength: TAG_BYTES * 8 }, cryptoKey, sealed);
  } catch (error) {
    throw new PushError("bad-response", "the push does not decrypt with this registration's key (wrong key, or damaged)", { cause: error });
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(plain);
  } catch (error) {
    throw new PushError("bad-response", "the decrypted payload is not UTF-8", { cause: error });
  }
  return parseTigaseNotification(text);
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
