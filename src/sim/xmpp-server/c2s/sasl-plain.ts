export interface PlainCredentials {
  authzid: string;
  username: string;
  password: string;
}

/** Decodes a SASL PLAIN message (RFC 4616), already base64-decoded: UTF-8 `authzid NUL authcid NUL passwd`. */
export function decodePlain(bytes: Uint8Array): PlainCredentials | undefined {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
  const parts = text.split("\0");
  if (parts.length !== 3) return undefined;
  const [authzid = "", username = "", password = ""] = parts;
  if (!username || !password) return undefined;
  return { authzid, username, password };
}
