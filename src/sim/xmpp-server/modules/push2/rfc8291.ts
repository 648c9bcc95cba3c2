import type { Bytes } from "../../../../protocol/index.js";

/** RFC 8291 §4: Web Push messages are one record of at most 4096 octets. */
export const RECORD_SIZE = 4096;
const SALT_BYTES = 16;
const LAST_RECORD_DELIMITER = 0x02;

/**
 * RFC 8291 message encryption over RFC 8188 aes128gcm, with Web Crypto only: a fresh ECDH key
 * pair and salt per message, the header `salt ‖ rs ‖ idlen ‖ keyid` (keyid = the sender's raw
 * public key) and one record holding `plaintext ‖ 0x02`.
 */
export async function encryptAes128gcm(plaintext: Uint8Array, uaPublic: Bytes, authSecret: Bytes): Promise<Bytes> {
  const subtle = globalThis.crypto.subtle;
  const ecdh = { name: "ECDH", namedCurve: "P-256" } as const;
  const sender = (await subtle.generateKey(ecdh, true, ["deriveBits"])) as CryptoKeyPair;
  const senderPublic = new Uint8Array(await subtle.exportKey("raw", sender.publicKey));
  const receiver = await subtle.importKey("raw", uaPublic, ecdh, false, []);
  const shared = new Uint8Array(await subtle.deriveBits({ name: "ECDH", public: receiver }, sender.privateKey, 256));

  const keyInfo = concat(ascii("WebPush: info\0"), uaPublic, senderPublic);
  const ikm = await hkdf(shared, authSecret, keyInfo, 32);
  const salt = globalThis.crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const contentKey = await hkdf(ikm, salt, ascii("Content-Encoding: aes128gcm\0"), 16);
  const nonce = await hkdf(ikm, salt, ascii("Content-Encoding: nonce\0"), 12);

  const key = await subtle.importKey("raw", contentKey, "AES-GCM", false, ["encrypt"]);
  const record = new Uint8Array(await subtle.encrypt({ name: "AES-GCM", iv: nonce, tagLength: 128 }, key, concat(plaintext, Uint8Array.of(LAST_RECORD_DELIMITER))));
  const header = new Uint8Array(SALT_BYTES + 5);
  header.set(salt);
  new DataView(header.buffer).setUint32(SALT_BYTES, RECORD_SIZE);
  header[SALT_BYTES + 4] = senderPublic.length;
  return concat(header, senderPublic, record);
}

/** The most plaintext one record takes: the record less the header, delimiter and tag. */
export const MAX_PLAINTEXT = RECORD_SIZE - (SALT_BYTES + 5 + 65) - 1 - 16;

async function hkdf(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Promise<Bytes> {
  const subtle = globalThis.crypto.subtle;
  const key = await subtle.importKey("raw", copy(ikm), "HKDF", false, ["deriveBits"]);
  return new Uint8Array(await subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt: copy(salt), info: copy(info) }, key, length * 8));
}

function ascii(text: string): Bytes {
  return new TextEncoder().encode(text) as Bytes;
}

function concat(...parts: Uint8Array[]): Bytes {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function copy(bytes: Uint8Array): Bytes {
  return new Uint8Array(bytes);
}
