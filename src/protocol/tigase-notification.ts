import { base64ToBytes } from "./base64.js";
import { missingFeature } from "./missing-feature.js";
import { PushError } from "./push-error.js";
import type { TigaseEncrypted } from "./tigase-push.js";

// Decrypting and reading Tigase's encrypted pushes without XML, so that the service worker entry
// can do it too (kept small: test/browser-unit/bundle-size.test.ts).

/** The part of a registration decryption needs: the key `subscribe()` generated and stored. */
export interface EncryptionKeyHolder {
  tigase?: { encryptionKey?: string };
}

/**
 * The JSON plaintext of an encrypted Tigase push (tigase-server
 * EncryptedPushNotificationExtension, T13). Every field may be absent: `message` when the stanza
 * had no body, `type` for what is not a message, and Tigase since 2023 writes `unread` and
 * `sender` as `null` (its serializer knows no Long nor JID), read here as absent.
 */
export interface TigaseNotification {
  unread?: number;
  /** Bare JID; a full JID for a `call`. */
  sender?: string;
  type?: "chat" | "groupchat" | "call" | "account-removed" | (string & {});
  /** The body, trimmed to fit `max-size`; a fixed text for OMEMO messages. */
  message?: string;
  /** The sender's nick in a groupchat. */
  nickname?: string;
  /** The Jingle session id of a call. */
  sid?: string;
  /** A call's media (`audio`, `video`). */
  media?: string[];
  /** A call's feature namespaces. */
  features?: string[];
}

// Tigase has used 12-byte IVs since January 2020 (tigase-server f87eea918), 16 bytes before (T12).
const IV_LENGTHS = [12, 16];

const badResponse = (text: string, cause?: unknown) => new PushError("bad-response", text, { cause });

/**
 * Decrypts `encrypted` (`tigase:push:encrypt:0`, AES-128-GCM, 128-bit tag) with the
 * registration's key and parses its JSON (T12, T13), through Web Crypto only. A wrong key, a
 * damaged ciphertext or tag, bad base64 or IV, or a plaintext that is not Tigase's JSON object:
 * `PushError('bad-response')`; a registration without a 16-byte key: `PushError('bad-request')`.
 */
export async function decryptTigasePayload(registration: EncryptionKeyHolder, encrypted: TigaseEncrypted): Promise<TigaseNotification> {
  const key = base64ToBytes(registration.tigase?.encryptionKey ?? "");
  if (key?.length !== 16) throw new PushError("bad-request", "no 16-byte encryption key (subscribe with tigase: { encrypt: true })");
  const iv = base64ToBytes(encrypted.iv);
  const sealed = base64ToBytes(encrypted.payload);
  // A GCM payload is at least its 16-byte tag.
  if (!iv || !IV_LENGTHS.includes(iv.length) || !sealed || sealed.length < 16) throw badResponse("not a Tigase payload: a 12- or 16-byte IV, ciphertext and tag in base64");
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw missingFeature("crypto.subtle", "react-native-quick-crypto");
  let plain: ArrayBuffer;
  try {
    plain = await subtle.decrypt({ name: "AES-GCM", iv, tagLength: 128 }, await subtle.importKey("raw", key, "AES-GCM", false, ["decrypt"]), sealed);
  } catch (error) {
    throw badResponse("the push does not decrypt with this key (wrong key, or damaged)", error);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(plain);
  } catch (error) {
    throw badResponse("the decrypted payload is not UTF-8", error);
  }
  return parseTigaseNotification(text);
}

type FieldCheck = (value: unknown) => boolean;
const isString: FieldCheck = (value) => typeof value === "string";
const FIELDS: [keyof TigaseNotification, FieldCheck][] = [
  ["unread", (value) => Number.isInteger(value) && (value as number) >= 0],
  ["sender", isString],
  ["type", isString],
  ["message", isString],
  ["nickname", isString],
  ["sid", isString],
  ["media", (value) => Array.isArray(value) && value.every(isString)],
  ["features", (value) => Array.isArray(value) && value.every(isString)],
];

/** Parses the plaintext; anything but an object with those field types is `PushError('bad-response')`. */
export function parseTigaseNotification(text: string): TigaseNotification {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw badResponse("the decrypted payload is not JSON", error);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw badResponse("the decrypted payload is not a JSON object");
  const record = value as Record<string, unknown>;
  const notification: Record<string, unknown> = {};
  for (const [field, check] of FIELDS) {
    const item = record[field];
    // null: how Tigase's serializer writes a long or a JID since 2023 (T13).
    if (item === undefined || item === null) continue;
    if (!check(item)) throw badResponse(`'${field}' of the decrypted payload has the wrong type`);
    notification[field] = item;
  }
  return notification as TigaseNotification;
}
