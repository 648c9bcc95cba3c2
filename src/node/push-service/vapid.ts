import { createPublicKey, type KeyObject, verify } from "node:crypto";
import { decodeBase64Url } from "./base64url.js";

/** RFC 8292 §2: a token may be valid for at most 24 hours. */
const MAX_TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;
const P256_POINT_BYTES = 65;
const ES256_SIGNATURE_BYTES = 64;

export type VapidCheck = { ok: true; key: Buffer } | { ok: false; reason: string };

/**
 * RFC 8292 §3: `Authorization: vapid t=<JWT>, k=<key>` with an ES256 JWT signed by `k`, whose
 * `aud` is the push resource's origin, `exp` in the future but at most 24 h ahead, and `sub` a
 * mailto: or https: contact. Any failure is a reason for 401.
 */
export function checkVapid(authorization: string | undefined, audience: string, nowMs: number): VapidCheck {
  if (authorization === undefined) return { ok: false, reason: "no Authorization header" };
  const params = vapidParams(authorization);
  if (!params) return { ok: false, reason: "Authorization is not of the vapid scheme" };
  const { t: token, k: encodedKey } = params;
  if (token === undefined || encodedKey === undefined) return { ok: false, reason: "vapid credentials need both t and k" };

  const known = publicKeyOf(encodedKey);
  if (!known) return { ok: false, reason: "k is not a base64url uncompressed P-256 public key" };
  const { raw: rawKey, key } = known;

  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, reason: "t is not a JWS compact serialization" };
  const [encodedHeader = "", encodedClaims = "", encodedSignature = ""] = parts;
  const header = jsonObject(encodedHeader);
  if (!header || header.alg !== "ES256") return { ok: false, reason: "the JWT header must say alg ES256" };
  const signature = decodeBase64Url(encodedSignature);
  if (!signature || signature.length !== ES256_SIGNATURE_BYTES) return { ok: false, reason: "the JWT signature is not a 64-byte ES256 signature" };
  const signed = Buffer.from(`${encodedHeader}.${encodedClaims}`);
  if (!verify("sha256", signed, { key, dsaEncoding: "ieee-p1363" }, signature)) return { ok: false, reason: "the JWT signature does not verify with k" };

  const claims = jsonObject(encodedClaims);
  if (!claims) return { ok: false, reason: "the JWT claims are not a JSON object" };
  const claimProblem = claimsProblem(claims, audience, Math.floor(nowMs / 1000));
  return claimProblem ? { ok: false, reason: claimProblem } : { ok: true, key: rawKey };
}

function claimsProblem(claims: Record<string, unknown>, audience: string, nowSeconds: number): string | undefined {
  if (claims.aud !== audience) return `aud must be ${audience}, got ${JSON.stringify(claims.aud)}`;
  const { exp, sub } = claims;
  if (typeof exp !== "number" || !Number.isFinite(exp)) return "exp is missing or not a number";
  if (exp <= nowSeconds) return "the token has expired";
  if (exp > nowSeconds + MAX_TOKEN_LIFETIME_SECONDS) return "exp is more than 24 hours ahead";
  if (typeof sub !== "string" || !/^(mailto:|https:)/.test(sub)) return "sub must be a mailto: or https: contact";
  return undefined;
}

/** `vapid t=..., k=...` → {t, k}; another scheme → undefined. Parameter order and spacing are free. */
function vapidParams(authorization: string): Record<string, string> | undefined {
  const match = /^\s*vapid\s+(.*)$/is.exec(authorization);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  for (const part of (match[1] ?? "").split(",")) {
    const separator = part.indexOf("=");
    if (separator === -1) continue;
    params[part.slice(0, separator).trim().toLowerCase()] = part.slice(separator + 1).trim();
  }
  return params;
}

interface PublicKey {
  raw: Buffer;
  key: KeyObject;
}

/** Key objects of the `k`s seen lately: an app server sends the same one with every request. */
const knownKeys = new Map<string, PublicKey>();
/** Enough for every app server a test or bench talks to; an attacker's keys only evict each other. */
const MAX_KNOWN_KEYS = 256;

/** The key object for `k`, made once per key string (only valid keys are kept). */
function publicKeyOf(encoded: string): PublicKey | undefined {
  const known = knownKeys.get(encoded);
  if (known) return known;
  const raw = decodeBase64Url(encoded);
  if (!raw || raw.length !== P256_POINT_BYTES || raw[0] !== 0x04) return undefined;
  let key: KeyObject;
  try {
    key = createPublicKey({
      key: { kty: "EC", crv: "P-256", x: raw.subarray(1, 33).toString("base64url"), y: raw.subarray(33).toString("base64url") },
      format: "jwk",
    });
  } catch {
    return undefined; // not a point on the curve
  }
  // Map keeps insertion order: the first key is the oldest.
  if (knownKeys.size >= MAX_KNOWN_KEYS) knownKeys.delete(knownKeys.keys().next().value as string);
  const entry = { raw, key };
  knownKeys.set(encoded, entry);
  return entry;
}

/** How many key objects are cached (for the test that checks the bound). */
export function knownKeyCount(): number {
  return knownKeys.size;
}

function jsonObject(encoded: string): Record<string, unknown> | undefined {
  const bytes = decodeBase64Url(encoded);
  if (!bytes) return undefined;
  try {
    const value: unknown = JSON.parse(bytes.toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
