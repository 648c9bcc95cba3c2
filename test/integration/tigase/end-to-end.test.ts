/**
 * Tigase's encrypted push end to end, all real: the reference server's `tigase` preset, the app
 * server simulator speaking the `tigase` dialect (found by `findPushComponent` among the server's
 * disco#items), @xmpp/client sessions, `PushClient.subscribe({ tigase })` and
 * `decryptNotification` on what the app server handed its provider (T1, T5, T12, T13, T15, TS3–TS8).
 */
import { xml } from "@xmpp/client";
import { afterEach, describe, expect, it } from "vitest";
import { decryptNotification, type Registration, type TigaseSettings } from "../../../src/index.js";
import { type Element, NS, type TigaseEncrypted } from "../../../src/protocol/index.js";
import { createMucService, type Delivery } from "../../../src/sim/index.js";
import { type Chain, chat, goOffline, record, waitFor } from "../../helpers/chain.js";
import { groupchat, join, setMembers } from "../muc/setup.js";
import { bobSubscribes, tigase } from "./setup.js";

let chain: Chain;
afterEach(() => chain?.close());

/** bob subscribes with encryption (and `extra`), goes offline; alice is online on her laptop. */
async function encryptedBob(extra: Omit<TigaseSettings, "encrypt"> = {}, encrypt: TigaseSettings["encrypt"] = true) {
  chain = tigase();
  const { registration } = await bobSubscribes(chain, { encrypt, ...extra });
  const alice = await chain.connect("alice", "laptop");
  return { registration, alice };
}

async function delivery(count: number): Promise<Delivery & { encrypted: TigaseEncrypted }> {
  await waitFor(() => chain.appServer.deliveries.length === count, 3000, `delivery ${count}`);
  const delivered = chain.appServer.deliveries[count - 1]!;
  if (!delivered.encrypted) throw new Error(`delivery ${count} is not encrypted: ${JSON.stringify(delivered)}`);
  return delivered as Delivery & { encrypted: TigaseEncrypted };
}

/** What each delivery so far decrypts to. */
function messages(registration: Registration): Promise<(string | undefined)[]> {
  return Promise.all(chain.appServer.deliveries.map(async (delivered) => (await decryptNotification(registration, delivered.encrypted!)).message));
}

describe("Tigase encrypted push end to end", () => {
  it("T15, TS3: the app server gets only ciphertext; the registration's key gives sender and body", async () => {
    chain = tigase();
    const bob = await chain.device("bob");
    const component = await bob.push.findPushComponent([NS.push]);
    expect(component).toBe(chain.appServer.jid);
    const registration = await bob.push.subscribe({ appServer: component!, provider: "tigase:messenger:fcm:1", token: "bob-fcm", tigase: { encrypt: true } });
    expect(registration.tigase?.applied).toEqual(["tigase:push:encrypt:0"]);
    await goOffline(chain, bob.xmpp);
    const publishes = record(chain.server, "published");
    const alice = await chain.connect("alice", "laptop");
    await alice.send(chat("bob@example.test", "Meet at the usual place, 19:00"));

    const delivered = await delivery(1);
    expect(delivered).toMatchObject({ provider: "fcm", token: "bob-fcm", node: registration.node, summary: {} });
    // Nothing in the clear: not in the whole publish the app server received, not in what it handed on.
    expect(publishes).toHaveLength(1);
    const publish = publishes[0]![1] as Element;
    expect(publish.attrs).toMatchObject({ from: "example.test", to: chain.appServer.jid });
    for (const seen of [publish.toString(), JSON.stringify(delivered)]) {
      expect(seen).not.toContain("usual place");
      expect(seen).not.toContain("alice");
      expect(seen).not.toContain("last-message");
    }
    expect(await decryptNotification(registration, delivered.encrypted)).toEqual({ unread: 1, sender: "alice@example.test", type: "chat", message: "Meet at the usual place, 19:00" });
  });

  it("T12: another registration's key fails with a PushError, never with garbage", async () => {
    chain = tigase();
    const { registration: other } = await bobSubscribes(chain, { encrypt: true }, { token: "tablet", deviceId: "tablet" });
    const { registration } = await bobSubscribes(chain, { encrypt: true });
    const alice = await chain.connect("alice", "laptop");
    await alice.send(chat("bob@example.test", "for both devices"));
    await delivery(2);
    const mine = chain.appServer.deliveries.find((delivered) => delivered.node === registration.node)!;
    expect((await decryptNotification(registration, mine.encrypted!)).message).toBe("for both devices");
    const error = await decryptNotification(other, mine.encrypted!).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toMatchObject({ name: "PushError", condition: "bad-response" });
    // A key of the right size that opens nothing: no plaintext anywhere in the error.
    expect(String((error as Error).message)).not.toContain("for both devices");
  });

  it("TS3: a long body is cut at the SDK's max-size, at a character boundary, and still decrypts to valid JSON", async () => {
    const { registration, alice } = await encryptedBob({}, { maxSize: 200 });
    // (200 − 64) × 6 / 8 = 102 bytes of body.
    const body = "Grüße 😀 ".repeat(40);
    await alice.send(chat("bob@example.test", body));
    const message = (await decryptNotification(registration, (await delivery(1)).encrypted)).message!;
    expect(body.startsWith(message)).toBe(true);
    expect(new TextEncoder().encode(message).length).toBeLessThanOrEqual(102);
    expect(new TextEncoder().encode(body.slice(0, message.length + 2)).length).toBeGreaterThan(102);
    expect(message).not.toContain("\uFFFD");
  });

  it("TS5: muted through the SDK: no push for the muted contact, one for the others", async () => {
    const { registration, alice } = await encryptedBob({ muted: ["alice@example.test"] });
    const carol = await chain.connect("carol", "laptop");
    await alice.send(chat("bob@example.test", "muted"));
    await carol.send(chat("bob@example.test", "not muted"));
    await delivery(1);
    expect(await messages(registration)).toEqual(["not muted"]);
  });

  it("TS4: ignore-unknown through the SDK: no push from outside the roster, one from a contact", async () => {
    chain = tigase();
    const desk = await chain.connect("bob", "desk");
    await desk.iqCaller.request(xml("iq", { type: "set" }, xml("query", { xmlns: "jabber:iq:roster" }, xml("item", { jid: "carol@example.test" }))));
    await goOffline(chain, desk);
    const { registration } = await bobSubscribes(chain, { encrypt: true, ignoreUnknown: true });
    const alice = await chain.connect("alice", "laptop");
    const carol = await chain.connect("carol", "laptop");
    await alice.send(chat("bob@example.test", "from a stranger"));
    await carol.send(chat("bob@example.test", "from a contact"));
    await delivery(1);
    expect(await messages(registration)).toEqual(["from a contact"]);
  });

  it("TS6: groupchat 'mentioned' through the SDK, with the MUC service's offline delivery: only the mention pushes, with the nick", async () => {
    chain = tigase();
    const muc = createMucService({ jid: "conference.example.test", offlineDelivery: true });
    chain.server.attach(muc);
    const room = "team@conference.example.test";
    const alice = await chain.connect("alice", "laptop");
    await join(alice, "alice", room);
    await setMembers(alice, { "bob@example.test": "bob" }, room);
    const { registration } = await bobSubscribes(chain, { encrypt: true, groupchat: [{ room, allow: "mentioned", nick: "bob" }] });
    await alice.send(groupchat("lunch, anyone?", [], room));
    await alice.send(groupchat("bob: the build is red", [], room));
    const delivered = await delivery(1);
    expect(await decryptNotification(registration, delivered.encrypted)).toEqual({
      unread: expect.any(Number),
      sender: room,
      type: "groupchat",
      nickname: "alice",
      message: "bob: the build is red",
    });
    expect(chain.appServer.deliveries).toHaveLength(1);
  });

  it("TS8, TS3: encrypt + jingle: a call proposal pushes as type='voip' and decrypts to a call with the caller's full JID", async () => {
    chain = tigase();
    const { registration } = await bobSubscribes(chain, { encrypt: true, jingle: true }, { stayOnline: true });
    const alice = await chain.connect("alice", "laptop");
    await alice.send(
      xml(
        "message",
        { to: "bob@example.test", type: "chat" },
        xml("propose", { xmlns: "urn:xmpp:jingle-message:0", id: "call-7" }, xml("description", { xmlns: "urn:xmpp:jingle:apps:rtp:1", media: "audio" })),
      ),
    );
    const delivered = await delivery(1);
    expect(delivered.encrypted.type).toBe("voip");
    expect(await decryptNotification(registration, delivered.encrypted)).toEqual({
      unread: expect.any(Number),
      sender: "alice@example.test/laptop",
      type: "call",
      sid: "call-7",
      media: ["audio"],
      features: [],
    });
  });
});
