import { base64ToBytes } from "../../protocol/index.js";

export interface PlainCredentials {
  authzid: string;
  username: string;
  password: string;
}

/** Decodes a SASL PLAIN message (RFC 4616): base64 of `authzid NUL authcid NUL passwd`. */
export function decodePlain(base64: string): PlainCredentials | undefined {
  const bytes = base64ToBytes(base64.trim());
  if (!bytes) return undefined;
  const parts = new TextDecoder().decode(bytes).split("\0");
  if (parts.length !== 3) return undefined;
  const [authzid = "", username = "", password = ""] = parts;
  if (!username || !password) return undefined;
  return { authzid, username, password };
}
