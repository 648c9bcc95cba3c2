import { bytesToBase64, bytesToBase64Url, PushError } from "../../protocol/index.js";
import { missingFeature } from "../../protocol/missing-feature.js";
import type { Push2VapidKeys } from "./types.js";

/**
 * A new ES256 (ECDSA P-256) key pair through Web Crypto, one per device: the public half is the
 * subscription's applicationServerKey, the private half goes to the XMPP server, which signs the
 * VAPID JWT with it (C23).
 */
export async function createVapidKeys(): Promise<Push2VapidKeys> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw missingFeature("crypto.subtle", "react-native-quick-crypto");
  try {
    const pair = await subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]);
    const [publicKey, privateKey] = await Promise.all([subtle.exportKey("raw", pair.publicKey), subtle.exportKey("pkcs8", pair.privateKey)]);
    return { publicKey: bytesToBase64Url(publicKey), privateKey: bytesToBase64(privateKey) };
  } catch (error) {
    throw new PushError("not-supported", `Web Crypto could not make a P-256 key pair: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
