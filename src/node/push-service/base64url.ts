const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Strict base64url (no padding, no other alphabet): Node's decoder would silently skip bad characters. */
export function decodeBase64Url(text: string): Buffer | undefined {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return undefined;
  return Buffer.from(text, "base64url");
}
