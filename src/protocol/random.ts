import { missingFeature } from "./missing-feature.js";

/**
 * `bytes` random bytes from Web Crypto, as lowercase hex (16 bytes = 128 bits, C14/A3).
 * Looked up at each call, so a polyfill imported after this module still counts.
 */
export function randomHex(bytes = 16): string {
  const crypto = globalThis.crypto as Crypto | undefined;
  if (typeof crypto?.getRandomValues !== "function") throw missingFeature("crypto.getRandomValues", "react-native-get-random-values");
  const buffer = new Uint8Array(bytes);
  crypto.getRandomValues(buffer);
  let hex = "";
  for (const byte of buffer) hex += byte.toString(16).padStart(2, "0");
  return hex;
}
