/** Tigase's encrypted push (TS3) on the reference server's `tigase` preset, through real clients. */
import { xml } from "@xmpp/client";
import { afterEach, describe, expect, it } from "vitest";
import { base64ToBytes, bytesToBase64, type Element, NS } from "../../../src/protocol/index.js";
import { chat, type Chain, record, waitFor } from "../../helpers/chain.js";
import { bobEnables, decrypt, notificationOf, tigase } from "./setup.js";

const ENCRYPT = "tigase:push:encrypt:0";

let chain: Chain;
afterEach(() => chain?.close());

function newKey(): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(16));
}

function encryptChild(key: Uint8Array<ArrayBuffer>, attrs: Record<string, string> = {}): Element {
  return xml("encrypt", { xmlns: ENCRYPT, alg: "aes-128-gcm", ...attrs }, bytesToBase64(key));
}

async function onePublish(published: [unknown, Element][]): Promise<Element> {
  await waitFor(() => published.length === 1, 3000, "one publish");
  const encrypted = notificationOf(published[0]![1]).getChild("encrypted", ENCRYPT);
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
      expect.arrayContaining([
        NS.push,
        "tigase:push:encrypt:0",
        "tigase:push:encrypt:aes-128-gcm",
        "tigase:push:filter:ignore-unknown:0",
        "tigase:push:filter:muted:0",
        "tigase:push:filter:groupchat:0",
        "tigase:push:away:0",
        "tigase:push:priority:0",
        "tigase:push:jingle:0",
      ]),
    );
  });

  it("TS3: the publish carries <encrypted iv> instead of the summary form; it decrypts to the JSON with sender and body", async () => {
    chain = tigase();
    const key = newKey();
    await bobEnables(chain, [encryptChild(key)]);
    const published = record(chain.server, "published");
    const alice = await chain.connect("alice", "laptop");
    await alice.send(chat("bob@example.test", "hello / \"bob\""));
    const encrypted = await onePublish(published);

    const notification = notificationOf(published[0]![1]);
    expect(notification.getChild("x", NS.dataForms)).toBeUndefined();
    expect(base64ToBytes(String(encrypted.attrs.iv))?.length).toBe(12);
    expect(encrypted.attrs.type).toBeUndefined();
    // 16 bytes of tag after the ciphertext.
    expect(base64ToBytes(encrypted.text())?.length).toBe(new TextEncoder().encode(JSON.stringify(await decrypt(encrypted, key))).length + 16);
    expect(await decrypt(encrypted, key)).toEqual({ unread: 1, sender: "alice@example.test", type: "chat", message: 'hello / "bob"' });
    // The app server saw no summary: no body, no sender in the clear.
    await waitFor(() => chain.appServer.deliveries.length === 1, 3000, "delivery");
    expect(chain.appServer.deliveries[0]?.summary.lastMessageBody).toBeUndefined();
    expect(published[0]![1].toString()).not.toContain("hello");
  });

  it("TS3: another key does not decrypt it (GCM's tag)", async () => {
    chain = tigase();
    await bobEnables(chain, [encryptChild(newKey())]);
    const published = record(chain.server, "published");
    const alice = await chain.connect("alice", "laptop");
    await alice.send(chat("bob@example.test", "secret"));
    const encrypted = await onePublish(published);
    await expect(decrypt(encrypted, newKey())).rejects.toThrow();
  });

  it("TS3: the body is cut to ((max-size − 64) × 6 / 8) bytes of UTF-8, never inside a character", async () => {
    chain = tigase();
    const key = newKey();
    // 100 → 27 bytes: 13 two-byte characters, or 6 four-byte ones.
    await bobEnables(chain, [encryptChild(key, { "max-size": "100" })]);
    const published = record(chain.server, "published");
    const alice = await chain.connect("alice", "laptop");
    await alice.send(chat("bob@example.test", "é".repeat(40)));
    expect((await decrypt(await onePublish(published), key)).message).toBe("é".repeat(13));
    await alice.send(chat("bob@example.test", "😡".repeat(40)));
    await waitFor(() => published.length === 2, 3000, "second publish");
    const second = notificationOf(published[1]![1]).getChild("encrypted", ENCRYPT)!;
    expect(await decrypt(second, key)).toMatchObject({ unread: 2, message: "😡".repeat(6) });
  });

  it("TS3: without max-size the limit is 3000 bytes (2202 of body)", async () => {
    chain = tigase();
    const key = newKey();
    await bobEnables(chain, [encryptChild(key)]);
    const published = record(chain.server, "published");
    const alice = await chain.connect("alice", "laptop");
    await alice.send(chat("bob@example.test", "x".repeat(5000)));
    expect((await decrypt(await onePublish(published), key)).message).toBe("x".repeat(2202));
  });

  it("TS3: an OMEMO message's body is Tigase's placeholder", async () => {
    chain = tigase();
    const key = newKey();
    await bobEnables(chain, [encryptChild(key)]);
    const published = record(chain.server, "published");
    const alice = await chain.connect("alice", "laptop");
    await alice.send(chat("bob@example.test", "I sent you an OMEMO encrypted message", [xml("encrypted", { xmlns: "eu.siacs.conversations.axolotl" })]));
    expect((await decrypt(await onePublish(published), key)).message).toBe("New secure message. Open to see the message.");
  });
});
