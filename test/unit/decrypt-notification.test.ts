import { describe, expect, it } from "vitest";
import { decryptNotification } from "../../src/client/decrypt-notification.js";
import { base64ToBytes, buildEncrypted, bytesToBase64, PushError, type PushErrorCondition } from "../../src/protocol/index.js";
import { parseXml } from "../helpers/parse-xml.js";
import { randomKey, tigaseEncrypt } from "../helpers/tigase-encrypt.js";
import { ENCRYPTED_PLAINTEXT_CALL, ENCRYPTED_PLAINTEXT_CHAT, ENCRYPTED_PLAINTEXT_NULLS } from "../fixtures/tigase/stanzas.js";

const holder = (key: string) => ({ tigase: { encryptionKey: key } });

async function rejection(promise: Promise<unknown>): Promise<{ condition: PushErrorCondition }> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(PushError);
  return error as PushError;
}

describe("decryptNotification (T12, T13)", () => {
  it("T12: decrypts what Tigase encrypts (12-byte IV, ciphertext ‖ tag) and reads the fields", async () => {
    const key = randomKey();
    const encrypted = await tigaseEncrypt(key, ENCRYPTED_PLAINTEXT_CHAT);
    expect(base64ToBytes(encrypted.iv)).toHaveLength(12);
    expect(await decryptNotification(holder(key), encrypted)).toEqual({ unread: 1, sender: "alice@example.test", type: "chat", message: "Hi / there" });
  });

  it("T12: takes the <encrypted/> element as received, and a 16-byte IV (Tigase before 2020)", async () => {
    const key = randomKey();
    const element = parseXml(buildEncrypted({ ...(await tigaseEncrypt(key, ENCRYPTED_PLAINTEXT_CALL)), type: "voip" }).toString());
    expect(await decryptNotification(holder(key), element)).toEqual({
      unread: 0,
      sender: "alice@example.test/phone",
      type: "call",
      sid: "call-1",
      media: ["audio", "video"],
      features: ["urn:xmpp:jingle:apps:rtp:1"],
    });
    const older = await tigaseEncrypt(key, ENCRYPTED_PLAINTEXT_CHAT, 16);
    expect((await decryptNotification(holder(key), older)).message).toBe("Hi / there");
  });

  it("T13: Tigase's null unread and sender read as absent", async () => {
    const key = randomKey();
    expect(await decryptNotification(holder(key), await tigaseEncrypt(key, ENCRYPTED_PLAINTEXT_NULLS))).toEqual({ type: "chat", message: "Hi" });
  });

  it("T12: a wrong key fails with bad-response, never garbage", async () => {
    const encrypted = await tigaseEncrypt(randomKey(), ENCRYPTED_PLAINTEXT_CHAT);
    expect((await rejection(decryptNotification(holder(randomKey()), encrypted))).condition).toBe("bad-response");
  });

  it("T12: a tampered tag, a tampered ciphertext bit, a truncated payload fail with bad-response", async () => {
    const key = randomKey();
    const encrypted = await tigaseEncrypt(key, ENCRYPTED_PLAINTEXT_CHAT);
    const sealed = base64ToBytes(encrypted.payload)!;
    const flip = (index: number) => {
      const copy = sealed.slice();
      copy[index]! ^= 0x01;
      return { iv: encrypted.iv, payload: bytesToBase64(copy) };
    };
    for (const damaged of [flip(sealed.length - 1), flip(0), { iv: encrypted.iv, payload: bytesToBase64(sealed.slice(0, sealed.length - 1)) }]) {
      expect((await rejection(decryptNotification(holder(key), damaged))).condition).toBe("bad-response");
    }
  });

  it("T14: Prosody's all-zero tag is refused like any other wrong tag", async () => {
    const key = randomKey();
    const encrypted = await tigaseEncrypt(key, ENCRYPTED_PLAINTEXT_CHAT);
    const sealed = base64ToBytes(encrypted.payload)!;
    sealed.fill(0, sealed.length - 16);
    expect((await rejection(decryptNotification(holder(key), { iv: encrypted.iv, payload: bytesToBase64(sealed) }))).condition).toBe("bad-response");
  });

  it("T13: a plaintext that is not JSON, not an object, or has a field of the wrong type fails with bad-response", async () => {
    const key = randomKey();
    for (const plaintext of ["not json", "[1, 2]", '"text"', '{"unread" : "one"}', '{"sender" : 5}', '{"media" : [1]}', '{"unread" : -1}']) {
      const error = await rejection(decryptNotification(holder(key), await tigaseEncrypt(key, plaintext)));
      expect(error.condition, plaintext).toBe("bad-response");
    }
  });

  it("T12: bad base64, a 13-byte IV, or a payload shorter than a tag fail with bad-response; no key is bad-request", async () => {
    const key = randomKey();
    const good = await tigaseEncrypt(key, ENCRYPTED_PLAINTEXT_CHAT);
    const cases = [
      { iv: "***", payload: good.payload },
      { iv: bytesToBase64(new Uint8Array(13)), payload: good.payload },
      { iv: good.iv, payload: bytesToBase64(new Uint8Array(15)) },
      { iv: good.iv, payload: "@@@" },
    ];
    for (const encrypted of cases) expect((await rejection(decryptNotification(holder(key), encrypted))).condition).toBe("bad-response");
    expect((await rejection(decryptNotification({}, good))).condition).toBe("bad-request");
    expect((await rejection(decryptNotification(holder("c2hvcnQ="), good))).condition).toBe("bad-request");
    expect((await rejection(decryptNotification(holder(key), parseXml("<encrypted xmlns='tigase:push:encrypt:0'>abc</encrypted>")))).condition).toBe("bad-response");
  });
});
