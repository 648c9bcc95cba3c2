/**
 * Tigase's encrypted push (TS3) on the reference server's `tigase` preset, through real clients:
 * the SDK subscribes with `tigase: { encrypt }` and decrypts with `decryptNotification`.
 */
import { xml } from "@xmpp/client";
import { afterEach, describe, expect, it } from "vitest";
import { decryptNotification } from "../../../src/index.js";
import { base64ToBytes, type Element, NS, parseEncrypted } from "../../../src/protocol/index.js";
import { chat, type Chain, record, waitFor } from "../../helpers/chain.js";
import { bobSubscribes, notificationOf, tigase } from "./setup.js";
import { ACCOUNT_FEATURES } from "../../fixtures/tigase/stanzas.js";

const ENCRYPT = "tigase:push:encrypt:0";

let chain: Chain;
afterEach(() => chain?.close());

async function nthEncrypted(published: [unknown, Element][], count: number): Promise<Element> {
  await waitFor(() => published.length === count, 3000, `publish ${count}`);
  const encrypted = notificationOf(published[count - 1]![1]).getChild("encrypted", ENCRYPT);
  if (!encrypted) throw new Error("no <encrypted/>");
  return encrypted;
}

describe("Tigase encrypted push (TS3)", () => {
  it("TS1: the account advertises every Tigase extension the preset loads", async () => {
    chain = tigase();
    const bob = await chain.connect("bob");
    const info = await bob.iqCaller.request(xml("iq", { type: "get" }, xml("query", { xmlns: NS.discoInfo })));
    const features = info.getChild("query")?.getChildren("feature").map((feature: Element) => feature.attrs.var);
    expect(features).toEqual(
      expect.arrayContaining([NS.push, ...ACCOUNT_FEATURES]),
    );
  });

  it("TS3: the publish carries <encrypted iv> instead of the summary form; it decrypts to the JSON with sender and body", async () => {
    chain = tigase();
    const { registration } = await bobSubscribes(chain, { encrypt: true });
    const published = record(chain.server, "published");
    const alice = await chain.connect("alice", "laptop");
    await alice.send(chat("bob@example.test", 'hello / "bob"'));
    const encrypted = await nthEncrypted(published, 1);

    expect(notificationOf(published[0]![1]).getChild("x", NS.dataForms)).toBeUndefined();
    expect(base64ToBytes(String(encrypted.attrs.iv))?.length).toBe(12);
    expect(encrypted.attrs.type).toBeUndefined();
    const notification = await decryptNotification(registration, encrypted);
    expect(notification).toEqual({ unread: 1, sender: "alice@example.test", type: "chat", message: 'hello / "bob"' });
    // 16 bytes of tag after the ciphertext.
    expect(base64ToBytes(encrypted.text())?.length).toBe(new TextEncoder().encode(JSON.stringify(notification)).length + 16);
    expect(published[0]![1].toString()).not.toContain("hello");
  });

  it("TS3: another registration's key does not decrypt it (GCM's tag): a PushError, no plaintext", async () => {
    chain = tigase();
    const { registration: first } = await bobSubscribes(chain, { encrypt: true });
    const { registration: other } = await bobSubscribes(chain, { encrypt: true }, { token: "other-token", deviceId: "other" });
    expect(other.tigase!.encryptionKey).not.toBe(first.tigase!.encryptionKey);
    // Both devices share the account's node (T16): the server keeps the latest enable of it, with the other device's key.
    expect(other.node).toBe(first.node);
    const published = record(chain.server, "published");
    const alice = await chain.connect("alice", "laptop");
    await alice.send(chat("bob@example.test", "secret"));
    const encrypted = await nthEncrypted(published, 1);
    expect(await decryptNotification(other, encrypted)).toMatchObject({ message: "secret" });
    await expect(decryptNotification(first, encrypted)).rejects.toMatchObject({ name: "PushError", condition: "bad-response" });
  });

  it("TS3: the body is cut to ((max-size − 64) × 6 / 8) bytes of UTF-8 (max-size from the SDK option), never inside a character", async () => {
    chain = tigase();
    // 100 → 27 bytes: 13 two-byte characters, or 6 four-byte ones.
    const { registration } = await bobSubscribes(chain, { encrypt: { maxSize: 100 } });
    const published = record(chain.server, "published");
    const alice = await chain.connect("alice", "laptop");
    await alice.send(chat("bob@example.test", "é".repeat(40)));
    expect((await decryptNotification(registration, await nthEncrypted(published, 1))).message).toBe("é".repeat(13));
    await alice.send(chat("bob@example.test", "😡".repeat(40)));
    expect(await decryptNotification(registration, await nthEncrypted(published, 2))).toMatchObject({ unread: 2, message: "😡".repeat(6) });
  });

  it("TS3: without max-size the limit is 3000 bytes (2202 of body)", async () => {
    chain = tigase();
    const { registration } = await bobSubscribes(chain, { encrypt: true });
    const published = record(chain.server, "published");
    const alice = await chain.connect("alice", "laptop");
    await alice.send(chat("bob@example.test", "x".repeat(5000)));
    const encrypted = await nthEncrypted(published, 1);
    expect((await decryptNotification(registration, encrypted)).message).toBe("x".repeat(2202));
    // Tigase's 64 bytes of headroom do not cover the other JSON fields and the tag: the base64 ends
    // a little past max-size, as Tigase's own would.
    expect(parseEncrypted(encrypted).payload.length).toBeGreaterThan(3000);
    expect(parseEncrypted(encrypted).payload.length).toBeLessThan(3200);
  });

  it("TS3: an OMEMO message's body is Tigase's placeholder", async () => {
    chain = tigase();
    const { registration } = await bobSubscribes(chain, { encrypt: true });
    const published = record(chain.server, "published");
    const alice = await chain.connect("alice", "laptop");
    await alice.send(chat("bob@example.test", "I sent you an OMEMO encrypted message", [xml("encrypted", { xmlns: "eu.siacs.conversations.axolotl" })]));
    expect((await decryptNotification(registration, await nthEncrypted(published, 1))).message).toBe("New secure message. Open to see the message.");
  });
});
