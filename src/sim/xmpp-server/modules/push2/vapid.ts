import { base64ToBytes, type Bytes, bytesToBase64, bytesToBase64Url, type Push2Jwt } from "../../../../protocol/index.js";

/** A registration's signing key, imported once: the key and its raw public point (for `<jwt key/>`). */
export interface Push2Signer {
  readonly privateKey: CryptoKey;
  /** Base64 (standard alphabet, as mod_push2 writes it) of the uncompressed public point. */
  readonly publicKey: string;
}

/** Imports the PKCS#8 key of a `<jwt-key/>`; rejects when Web Crypto does not take it as a P-256 ECDSA key. */
export async function importSigner(jwt: Push2Jwt): Promise<Push2Signer> {
  const subtle = globalThis.crypto.subtle;
  const extractable = await subtle.importKey("pkcs8", jwt.key, { name: "ECDSA", namedCurve: "P-256" }, true, ["sign"]);
  const { x, y, d, crv } = await subtle.exportKey("jwk", extractable);
  const rawX = x === undefined ? undefined : base64ToBytes(x);
  const rawY = y === undefined ? undefined : base64ToBytes(y);
  if (crv !== "P-256" || !rawX || !rawY || !d) throw new Error("the jwt-key is not a P-256 key pair");
  const point = new Uint8Array(65);
  point[0] = 0x04;
  point.set(rawX, 1);
  point.set(rawY, 33);
  const privateKey = await subtle.importKey("pkcs8", jwt.key, { name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]);
  return { privateKey, publicKey: bytesToBase64(point) };
}

/**
 * RFC 8292 §2: a JWS (ES256, compact) over the client's claims plus `sub` (the server's
 * contact URI) and `exp`; the client's own `sub`/`exp` are overridden, as mod_push2 does for `sub`.
 */
export async function signJwt(signer: Push2Signer, claims: Readonly<Record<string, string>>, sub: string, exp: number): Promise<string> {
  const header = encodeJson({ typ: "JWT", alg: "ES256" });
  const body = encodeJson({ ...claims, sub, exp });
  const signed = new TextEncoder().encode(`${header}.${body}`) as Bytes;
  // Web Crypto's ECDSA signature is r ‖ s, 64 bytes: the JWS form already.
  const signature = await globalThis.crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, signer.privateKey, signed);
  return `${header}.${body}.${bytesToBase64Url(signature)}`;
}

function encodeJson(value: object): string {
  return bytesToBase64Url(new TextEncoder().encode(JSON.stringify(value)) as Bytes);
}
