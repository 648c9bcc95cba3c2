import { bytesToBase64, type TigaseEncrypted } from "../../src/protocol/index.js";

/**
 * Encrypts a plaintext the way tigase-server's EncryptedPushNotificationExtension does (T12):
 * AES-128-GCM, a 12-byte random IV, base64 of ciphertext ‖ 128-bit tag. Written here from the
 * source so the SDK's decryption is checked against an independent encryption.
 */
export async function tigaseEncrypt(keyBase64: string, plaintext: string, ivLength = 12): Promise<TigaseEncrypted> {
  const key = Uint8Array.from(atob(keyBase64), (char) => char.charCodeAt(0));
  const iv = crypto.getRandomValues(new Uint8Array(ivLength));
  const cryptoKey = await crypto.subtle.importKey("raw", key, "AES-GCM", false, ["encrypt"]);
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv, tagLength: 128 }, cryptoKey, new TextEncoder().encode(plaintext));
  return { iv: bytesToBase64(iv), payload: bytesToBase64(sealed) };
}

/** A fresh base64 16-byte key. */
export function randomKey(): string {
  return bytesToBase64(crypto.getRandomValues(new Uint8Array(16)));
}
