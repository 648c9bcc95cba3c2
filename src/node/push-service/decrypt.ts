import { createDecipheriv, type ECDH, hkdfSync } from "node:crypto";

const SALT_BYTES = 16;
const HEADER_FIXED_BYTES = SALT_BYTES + 4 + 1;
const P256_POINT_BYTES = 65;
const TAG_BYTES = 16;
/** RFC 8188 §2: a record holds at least one octet of padding delimiter plus the tag. */
const MIN_RECORD_SIZE = TAG_BYTES + 1 + 1;
const LAST_RECORD_DELIMITER = 0x02;

/** The user agent's half of a subscription. */
export interface UserAgentKeys {
  ecdh: ECDH;
  /** The uncompressed public point (`p256dh`). */
  publicKey: Buffer;
  /** The 16-byte auth secret. */
  authSecret: Buffer;
}

export class DecryptionError extends Error {
  override readonly name = "DecryptionError";
}

/**
 * RFC 8291 §3–4 over RFC 8188 aes128gcm, done with Node's crypto only so that it checks, rather
 * than mirrors, the encryption of web-push/http_ece. Web Push allows exactly one record.
 */
export function decryptPushMessage(body: Buffer, keys: UserAgentKeys): Buffer {
  if (body.length < HEADER_FIXED_BYTES) throw new DecryptionError("body shorter than the aes128gcm header");
  const salt = body.subarray(0, SALT_BYTES);
  const recordSize = body.readUInt32BE(SALT_BYTES);
  const keyIdLength = body[SALT_BYTES + 4] ?? 0;
  if (keyIdLength !== P256_POINT_BYTES) throw new DecryptionError(`idlen must be 65 (the sender's P-256 key), got ${keyIdLength}`);
  const senderPublicKey = body.subarray(HEADER_FIXED_BYTES, HEADER_FIXED_BYTES + keyIdLength);
  const record = body.subarray(HEADER_FIXED_BYTES + keyIdLength);
  if (recordSize < MIN_RECORD_SIZE) throw new DecryptionError(`record size ${recordSize} is below ${MIN_RECORD_SIZE}`);
  if (record.length < TAG_BYTES + 1) throw new DecryptionError("no ciphertext after the header");
  if (record.length > recordSize) throw new DecryptionError("more than one record: Web Push messages are a single record");

  let sharedSecret: Buffer;
  try {
    sharedSecret = keys.ecdh.computeSecret(senderPublicKey);
  } catch {
    throw new DecryptionError("the keyid is not a P-256 public key");
  }
  const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), keys.publicKey, senderPublicKey]);
  const ikm = Buffer.from(hkdfSync("sha256", sharedSecret, keys.authSecret, keyInfo, 32));
  const contentKey = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: aes128gcm\0"), 16));
  // The nonce of record 0 is the derived nonce itself (XOR with sequence number 0).
  const nonce = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: nonce\0"), 12));

  const decipher = createDecipheriv("aes-128-gcm", contentKey, nonce);
  decipher.setAuthTag(record.subarray(record.length - TAG_BYTES));
  let padded: Buffer;
  try {
    padded = Buffer.concat([decipher.update(record.subarray(0, record.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new DecryptionError("authentication failed: wrong keys or a corrupted body");
  }
  return withoutPadding(padded);
}

/** RFC 8188 §2: data, then the delimiter (2 in the last record), then zeros. */
function withoutPadding(padded: Buffer): Buffer {
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (end < 0) throw new DecryptionError("no padding delimiter");
  if (padded[end] !== LAST_RECORD_DELIMITER) throw new DecryptionError(`the last record's delimiter must be 0x02, got 0x${padded[end]?.toString(16)}`);
  return padded.subarray(0, end);
}
