import { missingFeature } from "./missing-feature.js";

/** The two hex digits of every byte value. */
const HEX_DIGITS = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

/**
 * `bytes` random bytes from Web Crypto, as lowercase hex (16 bytes = 128 bits, C14/A3).
 * Looked up at each call, so a polyfill imported after this module still counts.
 */
export function randomHex(bytes = 16): string {
  const crypto = globalThis.crypto as Crypto | undefined;
  if (typeof crypto?.getRandomValues !== "function") throw missingFeature("crypto.getRandomValues", "react-native-get-random-values");
  const buffer = new Uint8Array(bytes);
  crypto.getRandomValues(buffer);
  // One join makes one flat string; appending pair by pair left a chain of string pieces (637 B for 32 digits, not 93).
  const digits = new Array<string>(bytes);
  for (let index = 0; index < bytes; index++) digits[index] = HEX_DIGITS[buffer[index]!]!;
  return digits.join("");
}
