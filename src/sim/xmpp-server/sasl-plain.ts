export interface PlainCredentials {
  authzid: string;
  username: string;
  password: string;
}

/** Decodes a SASL PLAIN message (RFC 4616): base64 of `authzid NUL authcid NUL passwd`. */
export function decodePlain(base64: string): PlainCredentials | undefined {
  let bytes: Uint8Array;
  try {
    bytes = Uint8Array.from(atob(base64.trim()), (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
  const parts = new TextDecoder().decode(bytes).split("\0");
  if (parts.length !== 3) return undefined;
  const [authzid = "", username = "", password = ""] = parts;
  if (!username || !password) return undefined;
  return { authzid, username, password };
}
