import { base64ToBytes, type Bytes, bytesToBase64 } from "../../../protocol/index.js";

/**
 * The server side of SASL SCRAM-SHA-1 (RFC 5802) on Web Crypto. @xmpp/client uses SCRAM
 * whenever its socket is not confidential (plain TCP), where it refuses PLAIN.
 */

const ITERATIONS = 4096;
const encoder = new TextEncoder();

export interface ScramChallenge {
  /** The server-first-message to send as the challenge. */
  serverFirst: string;
  /** Checks the client-final-message; resolves with the server-final-message, or undefined when the proof is wrong. */
  finish(clientFinal: string): Promise<string | undefined>;
}

export interface ScramStart {
  username: string;
  authzid: string;
  challenge(password: string): Promise<ScramChallenge>;
}

/** Reads the client-first-message; undefined when it is malformed or asks for channel binding. */
export function startScram(clientFirst: string): ScramStart | undefined {
  const match = /^([ny]),(a=[^,]*)?,(n=([^,]*),r=([^,]+).*)$/.exec(clientFirst);
  if (!match) return undefined;
  const [, , authzidPart = "", clientFirstBare = "", rawUsername = "", clientNonce = ""] = match;
  const gs2Header = clientFirst.slice(0, clientFirst.length - clientFirstBare.length);
  const username = unescapeName(rawUsername);
  if (username === undefined) return undefined;
  return {
    username,
    authzid: authzidPart ? (unescapeName(authzidPart.slice(2)) ?? "") : "",
    async challenge(password) {
      const salt = randomBytes(16);
      const nonce = clientNonce + bytesToBase64(randomBytes(18));
      const serverFirst = `r=${nonce},s=${bytesToBase64(salt)},i=${ITERATIONS}`;
      const saltedPassword = await pbkdf2(password, salt, ITERATIONS);
      return {
        serverFirst,
        async finish(clientFinal) {
          const final = /^c=([^,]*),r=([^,]*),(?:.*,)?p=([^,]+)$/.exec(clientFinal);
          if (!final || final[2] !== nonce || final[1] !== bytesToBase64(encoder.encode(gs2Header))) return undefined;
          const withoutProof = clientFinal.slice(0, clientFinal.lastIndexOf(",p="));
          const authMessage = encoder.encode(`${clientFirstBare},${serverFirst},${withoutProof}`);
          const clientKey = await hmac(saltedPassword, encoder.encode("Client Key"));
          const storedKey = new Uint8Array(await crypto.subtle.digest("SHA-1", clientKey));
          const clientSignature = await hmac(storedKey, authMessage);
          const proof = base64ToBytes(final[3] ?? "");
          if (!proof || proof.length !== clientKey.length) return undefined;
          const recovered = proof.map((byte, index) => byte ^ (clientSignature[index] ?? 0));
          const recoveredStored = new Uint8Array(await crypto.subtle.digest("SHA-1", recovered));
          if (!equalBytes(recoveredStored, storedKey)) return undefined;
          const serverKey = await hmac(saltedPassword, encoder.encode("Server Key"));
          return `v=${bytesToBase64(await hmac(serverKey, authMessage))}`;
        },
      };
    },
  };
}

/** RFC 5802 §5.1: "=2C" and "=3D" stand for "," and "="; any other "=" is malformed. */
function unescapeName(value: string): string | undefined {
  if (/=(?!2C|3D)/.test(value)) return undefined;
  return value.replaceAll("=2C", ",").replaceAll("=3D", "=");
}

async function pbkdf2(password: string, salt: Bytes, iterations: number): Promise<Bytes> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(password.normalize("NFKC")), "PBKDF2", false, ["deriveBits"]);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-1", salt, iterations }, key, 160));
}

async function hmac(keyBytes: Bytes, data: Bytes): Promise<Bytes> {
  const key = await crypto.subtle.importKey("raw", keyBytes, { name: "HMAC", hash: "SHA-1" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, data));
}

function randomBytes(length: number): Bytes {
  return crypto.getRandomValues(new Uint8Array(length));
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let index = 0; index < a.length; index++) difference |= (a[index] ?? 0) ^ (b[index] ?? 0);
  return difference === 0;
}
