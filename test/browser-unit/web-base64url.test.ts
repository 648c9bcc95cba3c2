// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { base64UrlToBytes, bytesToBase64Url } from "../../src/web/index.js";
import { rejection } from "../helpers/push-error.js";

function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  return bytes;
}

const ascii = (text: string) => new TextEncoder().encode(text);

describe("base64url helpers (no Buffer: browsers and workers)", () => {
  it("encode the RFC 4648 §10 vectors, unpadded, with the URL alphabet", () => {
    const vectors: [string, string][] = [["", ""], ["f", "Zg"], ["fo", "Zm8"], ["foo", "Zm9v"], ["foob", "Zm9vYg"], ["fooba", "Zm9vYmE"], ["foobar", "Zm9vYmFy"]];
    for (const [text, encoded] of vectors) {
      expect(bytesToBase64Url(ascii(text))).toBe(encoded);
      expect(base64UrlToBytes(encoded)).toEqual(ascii(text));
    }
    expect(bytesToBase64Url(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe("-_-_");
    expect(base64UrlToBytes("-_-_")).toEqual(new Uint8Array([0xfb, 0xff, 0xbf]));
  });

  it("round-trip every length from 0 to 70 bytes, including 65-byte P-256 keys and 16-byte auth secrets", () => {
    for (let length = 0; length <= 70; length++) {
      const bytes = randomBytes(length);
      const encoded = bytesToBase64Url(bytes);
      expect(encoded).toMatch(/^[A-Za-z0-9_-]*$/);
      expect(encoded).toBe(Buffer.from(bytes).toString("base64url")); // Node's encoder as the reference
      expect(base64UrlToBytes(encoded)).toEqual(bytes);
    }
    expect(bytesToBase64Url(randomBytes(65))).toHaveLength(87);
    expect(bytesToBase64Url(randomBytes(16))).toHaveLength(22);
  });

  it("encode an ArrayBuffer, and only the viewed part of a typed array", () => {
    const bytes = ascii("xxfoobarxx");
    expect(bytesToBase64Url(bytes.buffer)).toBe(bytesToBase64Url(bytes));
    expect(bytesToBase64Url(bytes.subarray(2, 8))).toBe("Zm9vYmFy");
    expect(bytesToBase64Url(new DataView(bytes.buffer, 2, 3))).toBe("Zm9v");
  });

  it("decode padded input too", () => {
    expect(base64UrlToBytes("Zg==")).toEqual(ascii("f"));
  });

  it.each(["a+b/", "Zm9v YmFy", "Zm9vY", "é"])("reject %j with PushError('bad-request')", async (text) => {
    expect((await rejection(Promise.resolve().then(() => base64UrlToBytes(text)))).condition).toBe("bad-request");
  });
});
