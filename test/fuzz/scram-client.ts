import { createHash, createHmac, pbkdf2Sync } from "node:crypto";

/** The client side of SASL SCRAM-SHA-1 (RFC 5802), enough to log in to the reference server. */
export function scramClientFirst(username: string, nonce: string): string {
  return `n,,n=${username},r=${nonce}`;
}

/**
 * The client-final-message for a server-first-message, or undefined when that is not one.
 * Synchronous: a script's turn is computed while the case runs.
 */
export function scramClientFinal(username: string, password: string, nonce: string, serverFirst: string): string | undefined {
  const match = /^r=([^,]+),s=([^,]+),i=(\d+)/.exec(serverFirst);
  if (!match || !match[1]?.startsWith(nonce)) return undefined;
  const [, serverNonce = "", salt = "", iterations = ""] = match;
  const withoutProof = `c=biws,r=${serverNonce}`;
  const saltedPassword = pbkdf2Sync(password, Buffer.from(salt, "base64"), Number(iterations), 20, "sha1");
  const clientKey = createHmac("sha1", saltedPassword).update("Client Key").digest();
  const storedKey = createHash("sha1").update(clientKey).digest();
  const authMessage = `${scramClientFirst(username, nonce).slice(3)},${serverFirst},${withoutProof}`;
  const signature = createHmac("sha1", storedKey).update(authMessage).digest();
  const proof = clientKey.map((byte, index) => byte ^ (signature[index] ?? 0));
  return `${withoutProof},p=${Buffer.from(proof).toString("base64")}`;
}
