import { afterEach, describe, expect, it, vi } from "vitest";
import { base64ToBytes, bytesToBase64, randomHex } from "../../src/protocol/index.js";
import { expectPushError } from "../helpers/push-error.js";

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("a Web API the runtime lacks is PushError('not-supported') naming its polyfill, not a TypeError", () => {
  it("no crypto at all (React Native's Hermes): randomHex names react-native-get-random-values", () => {
    vi.stubGlobal("crypto", undefined);
    const error = expectPushError(() => randomHex(), "not-supported");
    expect(error.message).toMatch(/crypto\.getRandomValues .*react-native-get-random-values/);
  });

  it("a crypto object without getRandomValues (what react-native-random-uuid alone leaves) is the same error", () => {
    vi.stubGlobal("crypto", { randomUUID: () => "00000000-0000-4000-8000-000000000000" });
    expect(expectPushError(() => randomHex(), "not-supported").message).toMatch(/react-native-get-random-values/);
  });

  it("a polyfill installed after the SDK was loaded is used: the lookup happens at each call", () => {
    vi.stubGlobal("crypto", undefined);
    expectPushError(() => randomHex(), "not-supported");
    vi.stubGlobal("crypto", { getRandomValues: (array: Uint8Array) => array.fill(0xab) });
    expect(randomHex(2)).toBe("abab");
  });

  it("no btoa / atob (React Native before 0.74): the base64 helpers name base-64", () => {
    vi.stubGlobal("btoa", undefined);
    vi.stubGlobal("atob", undefined);
    expect(expectPushError(() => bytesToBase64(new Uint8Array([1, 2])), "not-supported").message).toMatch(/^btoa .*base-64/);
    expect(expectPushError(() => base64ToBytes("AQI="), "not-supported").message).toMatch(/^atob .*base-64/);
    vi.unstubAllGlobals();
    expect(base64ToBytes(bytesToBase64(new Uint8Array([1, 2])))).toEqual(new Uint8Array([1, 2]));
  });

  it("input that is not base64 is still undefined, whatever the runtime has", () => {
    vi.stubGlobal("atob", undefined);
    expect(base64ToBytes("not base64!")).toBeUndefined();
  });
});
