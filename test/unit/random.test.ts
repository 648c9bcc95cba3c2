import { afterEach, describe, expect, it, vi } from "vitest";
import { randomHex } from "../../src/protocol/index.js";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("randomHex", () => {
  it("C14: 16 bytes by default → 32 lowercase hex characters", () => {
    const value = randomHex();
    expect(value).toMatch(/^[0-9a-f]{32}$/);
  });

  it("C14: draws its 16 bytes (128 bits) from crypto.getRandomValues", () => {
    const spy = vi.spyOn(globalThis.crypto, "getRandomValues");
    randomHex();
    expect(spy).toHaveBeenCalledTimes(1);
    const [buffer] = spy.mock.calls[0]!;
    expect(buffer).toBeInstanceOf(Uint8Array);
    expect((buffer as Uint8Array).length).toBe(16);
  });

  it("C14: encodes exactly the bytes it got, zero-padded", () => {
    const bytes = [0x00, 0x01, 0x0f, 0x10, 0xab, 0xff, 0x7f, 0x80, 0x09, 0xa0, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x05];
    vi.spyOn(globalThis.crypto, "getRandomValues").mockImplementation(<T extends ArrayBufferView | null>(array: T): T => {
      (array as unknown as Uint8Array).set(bytes);
      return array;
    });
    expect(randomHex()).toBe("00010f10abff7f8009a000deadbeef05");
  });

  it("asks for as many bytes as requested", () => {
    const spy = vi.spyOn(globalThis.crypto, "getRandomValues");
    expect(randomHex(32)).toMatch(/^[0-9a-f]{64}$/);
    expect((spy.mock.calls[0]![0] as Uint8Array).length).toBe(32);
    expect(randomHex(1)).toMatch(/^[0-9a-f]{2}$/);
    expect(randomHex(0)).toBe("");
  });

  it("two draws differ", () => {
    expect(randomHex()).not.toBe(randomHex());
  });
});
