// @vitest-environment happy-dom
import "fake-indexeddb/auto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { IdbStore } from "../../src/idb/index.js";
import { encodePushPayload, parsePushPayload, type PushPayload } from "../../src/protocol/push-payload.js";
import {
  DEFAULT_GENERIC_BODY,
  DEFAULT_TITLE,
  handlePush,
  PushError,
  type PushEventLike,
  type TigaseDecryptionOptions,
  tigaseDecryption,
  type TigaseEncrypted,
} from "../../src/sw/index.js";
import { ENCRYPTED_PLAINTEXT_CALL, ENCRYPTED_PLAINTEXT_CHAT, ENCRYPTED_PLAINTEXT_GROUPCHAT, ENCRYPTED_PLAINTEXT_NULLS } from "../fixtures/tigase/stanzas.js";
import { registration } from "../helpers/registration.js";
import { randomKey, tigaseEncrypt } from "../helpers/tigase-encrypt.js";
import { freshDbName } from "./helpers.js";

/** Tigase-encrypted pushes in the service worker (T12, T13): what an app server forwards, decrypted with the registration's key. */

let showNotification: ReturnType<typeof vi.fn<(title: string, options?: NotificationOptions) => Promise<void>>>;
beforeEach(() => {
  showNotification = vi.fn(async () => undefined);
  vi.stubGlobal("registration", { scope: "https://app.example/chat/", showNotification });
});
afterEach(() => vi.unstubAllGlobals());

const KEY = randomKey();
const keyHolder = { tigase: { encryptionKey: KEY } };

function pushEvent(payload: PushPayload) {
  const text = encodePushPayload(payload);
  const event = { data: { text: () => text }, waitUntil: vi.fn<(promise: Promise<unknown>) => void>() };
  return event satisfies PushEventLike;
}

/** The payload an app server's Web Push provider sends for a Tigase-encrypted publish: empty summary, the ciphertext as it came. */
async function encryptedPayload(plaintext: string, key = KEY): Promise<PushPayload> {
  return { v: 1, node: "node-1", account: "bob@example.test", summary: {}, encrypted: await tigaseEncrypt(key, plaintext) };
}

function decryptWith(registrationFor: TigaseDecryptionOptions["registrationFor"]) {
  const errors: [PushError, PushPayload][] = [];
  return { decrypt: tigaseDecryption({ registrationFor, onError: (error, payload) => void errors.push([error, payload]) }), errors };
}

const GENERIC = { body: DEFAULT_GENERIC_BODY, tag: "node-1", renotify: true, data: { xmppPush: 1, node: "node-1", account: "bob@example.test" } };

describe("handlePush with tigaseDecryption", () => {
  it("T13: shows the decrypted sender and body, tagged by the conversation, looking the key up by node", async () => {
    const registrationFor = vi.fn((payload: PushPayload) => (payload.node === "node-1" ? keyHolder : undefined));
    const { decrypt, errors } = decryptWith(registrationFor);
    const payload = await encryptedPayload(ENCRYPTED_PLAINTEXT_CHAT);
    const event = pushEvent(payload);
    const shown = handlePush(event, { decrypt });
    expect(event.waitUntil).toHaveBeenCalledWith(shown);
    await shown;
    expect(registrationFor).toHaveBeenCalledWith(payload);
    expect(showNotification).toHaveBeenCalledWith("alice@example.test", {
      body: "Hi / there",
      tag: "alice@example.test",
      renotify: true,
      data: { xmppPush: 1, node: "node-1", account: "bob@example.test", chat: "alice@example.test" },
    });
    expect(errors).toEqual([]);
  });

  it("T13: a groupchat shows the occupant's nick before the room", async () => {
    const { decrypt } = decryptWith(() => keyHolder);
    await handlePush(pushEvent(await encryptedPayload(ENCRYPTED_PLAINTEXT_GROUPCHAT)), { decrypt });
    expect(showNotification).toHaveBeenCalledWith("alice (team@conference.example.test)", expect.objectContaining({ body: "bob: lunch?", tag: "team@conference.example.test" }));
  });

  it("T13: a call (full JID, no message) shows the caller with the generic line", async () => {
    const { decrypt } = decryptWith(() => keyHolder);
    await handlePush(pushEvent(await encryptedPayload(ENCRYPTED_PLAINTEXT_CALL)), { decrypt });
    expect(showNotification).toHaveBeenCalledWith("alice@example.test", expect.objectContaining({ body: DEFAULT_GENERIC_BODY, tag: "alice@example.test" }));
  });

  it("T13: Tigase's null sender shows the body under the default title", async () => {
    const { decrypt } = decryptWith(() => keyHolder);
    await handlePush(pushEvent(await encryptedPayload(ENCRYPTED_PLAINTEXT_NULLS)), { decrypt });
    expect(showNotification).toHaveBeenCalledWith(DEFAULT_TITLE, expect.objectContaining({ body: "Hi", tag: "node-1" }));
  });

  it("T12: another registration's key shows the generic notification and reports bad-response, never garbage", async () => {
    const { decrypt, errors } = decryptWith(() => ({ tigase: { encryptionKey: randomKey() } }));
    const payload = await encryptedPayload(ENCRYPTED_PLAINTEXT_CHAT);
    await handlePush(pushEvent(payload), { decrypt });
    expect(showNotification).toHaveBeenCalledWith(DEFAULT_TITLE, GENERIC);
    expect(errors).toHaveLength(1);
    expect(errors[0]![0]).toBeInstanceOf(PushError);
    expect(errors[0]![0]).toMatchObject({ condition: "bad-response" });
    expect(errors[0]![1]).toEqual(payload);
  });

  it("T12: a damaged ciphertext is refused by the GCM tag", async () => {
    const { decrypt, errors } = decryptWith(() => keyHolder);
    const payload = await encryptedPayload(ENCRYPTED_PLAINTEXT_CHAT);
    const sealed = payload.encrypted!.payload;
    const flipped = `${sealed[0] === "A" ? "B" : "A"}${sealed.slice(1)}`;
    await handlePush(pushEvent({ ...payload, encrypted: { ...payload.encrypted!, payload: flipped } }), { decrypt });
    expect(showNotification).toHaveBeenCalledWith(DEFAULT_TITLE, GENERIC);
    expect(errors.map(([error]) => error.condition)).toEqual(["bad-response"]);
  });

  it("no registration for the node: generic notification, bad-request", async () => {
    const { decrypt, errors } = decryptWith(() => undefined);
    await handlePush(pushEvent(await encryptedPayload(ENCRYPTED_PLAINTEXT_CHAT)), { decrypt });
    expect(showNotification).toHaveBeenCalledWith(DEFAULT_TITLE, GENERIC);
    expect(errors.map(([error]) => error.condition)).toEqual(["bad-request"]);
  });

  it("a failing registrationFor: generic notification, its error as the cause of a storage PushError", async () => {
    const failure = new Error("IndexedDB is gone");
    const { decrypt, errors } = decryptWith(() => Promise.reject(failure));
    await handlePush(pushEvent(await encryptedPayload(ENCRYPTED_PLAINTEXT_CHAT)), { decrypt });
    expect(showNotification).toHaveBeenCalledWith(DEFAULT_TITLE, GENERIC);
    expect(errors[0]![0]).toMatchObject({ condition: "storage", cause: failure });
  });

  it("without decrypt, or with one that rejects, an encrypted push shows the generic notification", async () => {
    const payload = await encryptedPayload(ENCRYPTED_PLAINTEXT_CHAT);
    await handlePush(pushEvent(payload));
    await handlePush(pushEvent(payload), { decrypt: () => Promise.reject(new Error("the app's own decrypter failed")) });
    expect(showNotification.mock.calls).toEqual([
      [DEFAULT_TITLE, GENERIC],
      [DEFAULT_TITLE, GENERIC],
    ]);
  });

  it("a plain payload never calls decrypt", async () => {
    const decrypt = vi.fn(async () => undefined);
    await handlePush(pushEvent({ v: 1, node: "node-1", summary: { lastMessageSender: "juliet@capulet.example", lastMessageBody: "hi" } }), { decrypt });
    expect(decrypt).not.toHaveBeenCalled();
    expect(showNotification).toHaveBeenCalledWith("juliet@capulet.example", expect.objectContaining({ body: "hi" }));
  });

  it("finds the key in the IdbStore the page subscribed with, by node", async () => {
    const store = new IdbStore({ name: freshDbName() });
    await store.put(registration("a", { node: "node-0", dialect: "tigase" }));
    await store.put(registration("b", { node: "node-1", dialect: "tigase", tigase: { settings: { encrypt: true }, encryptionKey: KEY } }));
    const { decrypt, errors } = decryptWith(async (payload) => (await store.list()).find((stored) => stored.node === payload.node));
    await handlePush(pushEvent(await encryptedPayload(ENCRYPTED_PLAINTEXT_CHAT)), { decrypt });
    store.close();
    expect(errors).toEqual([]);
    expect(showNotification).toHaveBeenCalledWith("alice@example.test", expect.objectContaining({ body: "Hi / there" }));
  });
});

describe("parsePushPayload and the encrypted part", () => {
  const base = { v: 1, node: "n", summary: {} };
  it("keeps iv, payload and type", () => {
    const encrypted: TigaseEncrypted = { iv: "aXY=", payload: "cGF5bG9hZA==", type: "voip" };
    expect(parsePushPayload(JSON.stringify({ ...base, encrypted }))).toEqual({ ...base, encrypted });
  });
  it.each([
    ["not an object", "x"],
    ["without iv", { payload: "cA==" }],
    ["an empty payload", { iv: "aXY=", payload: "" }],
    ["a number for iv", { iv: 1, payload: "cA==" }],
  ])("drops an encrypted part that is %s", (_case, encrypted) => {
    expect(parsePushPayload(JSON.stringify({ ...base, encrypted }))).toEqual(base);
  });
});
