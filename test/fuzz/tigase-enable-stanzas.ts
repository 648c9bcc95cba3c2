import fc from "fast-check";
import { buildEnable, buildIq, bytesToBase64, type Element, TIGASE_NS, xml } from "../../src/protocol/index.js";
import type { AppServerMemory } from "./app-server-requests.js";
import { APP_SERVER_JID, DOMAIN } from "./fuzz-server.js";

const ROOM = `room@muc.${DOMAIN}`;
const NS_JINGLE_MESSAGE = "urn:xmpp:jingle-message:0";
const NS_JINGLE_RTP = "urn:xmpp:jingle:apps:rtp:1";

/** A 16-byte key, and keys of other lengths or no base64 at all. */
const KEYS = [bytesToBase64(new Uint8Array(16).fill(7)), bytesToBase64(new Uint8Array(32)), bytesToBase64(new Uint8Array(15)), "!!not base64", "", " "];
const JIDS = [`bob@${DOMAIN}`, `bob@${DOMAIN}/phone`, ROOM, "", "@@", "a@b@c", "x".repeat(1100)];

const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });

/** Tigase's `<enable>` children (T5–T11, TS3–TS9), each valid or broken in the ways a client might break it. */
const encrypt = fc
  .record({
    alg: fc.oneof({ arbitrary: fc.constant("aes-128-gcm"), weight: 3 }, optional(fc.constantFrom("AES-128-GCM", "aes-256-gcm", ""))),
    key: fc.oneof({ arbitrary: fc.constant(KEYS[0]!), weight: 3 }, fc.constantFrom(...KEYS)),
    maxSize: fc.oneof({ arbitrary: fc.constantFrom(undefined, "3000", "64"), weight: 3 }, fc.constantFrom("63", "0", "abc", "1234567890", "-5", "99999999999999999999")),
  })
  .map(({ alg, key, maxSize }) => xml("encrypt", { xmlns: TIGASE_NS.encrypt, alg, "max-size": maxSize }, key));

const muted = fc.array(optional(fc.constantFrom(...JIDS)), { maxLength: 3 }).map((jids) => xml("muted", { xmlns: TIGASE_NS.muted }, ...jids.map((jid) => xml("item", { jid }))));

const groupchat = fc
  .array(fc.record({ jid: optional(fc.constantFrom(...JIDS)), allow: optional(fc.constantFrom("always", "mentioned", "never")), nick: optional(fc.constantFrom("alice", "")) }), { maxLength: 3 })
  .map((rooms) => xml("groupchat", { xmlns: TIGASE_NS.groupchat }, ...rooms.map((room) => xml("room", room))));

const flag = (name: string, xmlns: string) => fc.constant(xml(name, { xmlns }));

const enableChild: fc.Arbitrary<Element> = fc.oneof(
  { arbitrary: encrypt, weight: 3 },
  { arbitrary: muted, weight: 2 },
  { arbitrary: groupchat, weight: 2 },
  flag("ignore-unknown", TIGASE_NS.ignoreUnknown),
  flag("priority", TIGASE_NS.priority),
  flag("jingle", TIGASE_NS.jingle),
);

/** What the registration at the app server answered, to enable with. */
export type EnableMemory = AppServerMemory;

export type TigaseEnable = (memory: EnableMemory, id: string) => Element;

export const tigaseEnable: fc.Arbitrary<TigaseEnable> = fc
  .record({ children: fc.array(enableChild, { maxLength: 4 }), away: optional(fc.constantFrom("true", "false", "1", "0", "yes", "")), knownNode: fc.boolean() })
  .map(({ children, away, knownNode }) => (memory, id) => {
    const enable = buildEnable({ jid: APP_SERVER_JID, node: (knownNode && memory.node) || "made-up-node", publishOptions: { secret: memory.secret ?? "none" }, extensions: children });
    if (away !== undefined) enable.attrs.away = away;
    return buildIq({ type: "set", id }, enable);
  });

/** What another account sends the enabled one, which goes offline: chats, groupchat, calls, OMEMO, from the room. */
export const messageToEnabled: fc.Arbitrary<(to: string) => Element> = fc
  .record({
    type: fc.constantFrom("chat", "groupchat", "normal", undefined),
    body: optional(fc.oneof(fc.string({ unit: "grapheme", maxLength: 30 }), fc.constant("alice: é".repeat(400)))),
    call: optional(fc.constantFrom("propose", "accept", "retract")),
    omemo: fc.boolean(),
    full: fc.boolean(),
  })
  .map(({ type, body, call, omemo, full }) => (to) =>
    xml(
      "message",
      { to: full ? `${to}/gone` : to, type, id: "m" },
      body !== undefined && xml("body", {}, body),
      call !== undefined && xml(call, { xmlns: NS_JINGLE_MESSAGE, id: "call-1" }, xml("description", { xmlns: NS_JINGLE_RTP, media: "audio" })),
      omemo && xml("encrypted", { xmlns: "eu.siacs.conversations.axolotl" }),
    ),
  );
