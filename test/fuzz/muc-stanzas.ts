import fc from "fast-check";
import { buildDisable, buildDiscoInfoQuery, buildDiscoItemsQuery, buildEnable, buildForm, buildIq, type Element, formFromValues, NS, xml } from "../../src/protocol/index.js";
import type { AppServerMemory } from "./app-server-requests.js";
import { APP_SERVER_JID, DOMAIN } from "./fuzz-server.js";

export const MUC_JID = "conference.example.test";
const NS_MUC = "http://jabber.org/protocol/muc";
const NS_REFERENCE = "urn:xmpp:reference:0";

/** More rooms than the fuzz service keeps, so that creating one is sometimes refused. */
export const ROOMS = [`team@${MUC_JID}`, `ops@${MUC_JID}`, `lobby@${MUC_JID}`, `Team@${MUC_JID}`];
const NICKS = ["alice", "bob", "carol", "Bob", "al ice", "é"];
const MEMBERS = [`alice@${DOMAIN}`, `bob@${DOMAIN}`, `carol@${DOMAIN}`, `bob@${DOMAIN}/phone`, DOMAIN, "not a jid@"];

/** What earlier answers told the client: the node and secret its registration at the app server got. */
export type MucMemory = AppServerMemory;

/** A stanza to the MUC service, given what the client learnt and the id an IQ takes. */
export type MucStanza = (memory: MucMemory, id: string) => Element;

const room = fc.constantFrom(...ROOMS);
const nick = fc.constantFrom(...NICKS);
const occupant = fc.tuple(room, nick).map(([jid, name]) => `${jid}/${name}`);
/** Where MUC stanzas go: a room, an occupant, the service's domain, a room of another service. */
const mucAddress = fc.oneof({ arbitrary: room, weight: 3 }, { arbitrary: occupant, weight: 2 }, fc.constantFrom(MUC_JID, `nowhere@${MUC_JID}`, `team@muc.elsewhere.test`));
const humanText = fc.string({ unit: "grapheme", maxLength: 20 });

const joinPresence: fc.Arbitrary<MucStanza> = fc
  .record({ to: occupant, history: fc.option(fc.constantFrom("0", "2", "-1", "abc", "99999999999999999999"), { nil: undefined }), withX: fc.boolean() })
  .map(({ to, history, withX }) => () => xml("presence", { to }, withX && xml("x", { xmlns: NS_MUC }, history !== undefined && xml("history", { maxstanzas: history }))));

const otherPresence: fc.Arbitrary<MucStanza> = fc
  .record({ to: mucAddress, type: fc.constantFrom(undefined, "unavailable", "subscribe", "probe", "error"), show: fc.constantFrom(undefined, "away", "dnd") })
  .map(({ to, type, show }) => () => xml("presence", { to, type }, show && xml("show", {}, show)));

/** A groupchat message, with XEP-0372 mentions whose offsets may be anything, or a subject change. */
const groupchat: fc.Arbitrary<MucStanza> = fc
  .record({
    to: fc.oneof({ arbitrary: room, weight: 4 }, mucAddress),
    type: fc.constantFrom("groupchat", "groupchat", "groupchat", "chat", "normal", "error", undefined),
    body: fc.option(fc.oneof(humanText, nick.map((name) => `${name}: ping`)), { nil: undefined, freq: 5 }),
    subject: fc.option(humanText, { nil: undefined, freq: 4 }),
    mentions: fc.array(fc.record({ begin: fc.constantFrom("0", "1", "-1", "x", "3", "100"), end: fc.constantFrom("0", "3", "5", "6", "1e3", "") }), { maxLength: 2 }),
  })
  .map(({ to, type, body, subject, mentions }) => (_memory, id) =>
    xml(
      "message",
      { to, type, id },
      body !== undefined && xml("body", {}, body),
      subject !== undefined && xml("subject", {}, subject),
      ...mentions.map(({ begin, end }) => xml("reference", { xmlns: NS_REFERENCE, type: "mention", begin, end })),
    ),
  );

const adminItems = fc.array(
  fc.record({ affiliation: fc.constantFrom("member", "admin", "owner", "outcast", "none", "bogus"), jid: fc.option(fc.constantFrom(...MEMBERS), { nil: undefined }), nick: fc.option(nick, { nil: undefined }) }),
  { maxLength: 3 },
);

/** The IQ payloads a room or the service answers, and some neither does. */
const iqRequest: fc.Arbitrary<(memory: MucMemory) => { type: "get" | "set"; payload: Element | undefined }> = fc.oneof(
  fc.option(fc.constantFrom("x", NS.commands), { nil: undefined }).map((node) => () => ({ type: "get" as const, payload: buildDiscoInfoQuery(node) })),
  fc.constant(() => ({ type: "get" as const, payload: buildDiscoItemsQuery() })),
  fc.constantFrom("owner", "admin", "member", "outcast", "none").map((affiliation) => () => ({
    type: "get" as const,
    payload: xml("query", { xmlns: `${NS_MUC}#admin` }, xml("item", { affiliation })),
  })),
  adminItems.map((items) => () => ({ type: "set" as const, payload: xml("query", { xmlns: `${NS_MUC}#admin` }, ...items.map((item) => xml("item", item))) })),
  fc.constant(() => ({ type: "get" as const, payload: xml("query", { xmlns: `${NS_MUC}#owner` }) })),
  fc.constantFrom("1", "0", "true", "maybe", undefined).map((membersOnly) => () => ({
    type: "set" as const,
    payload: xml("query", { xmlns: `${NS_MUC}#owner` }, buildForm(formFromValues("submit", `${NS_MUC}#roomconfig`, { "muc#roomconfig_membersonly": membersOnly }))),
  })),
  fc.record({ knownNode: fc.boolean(), knownSecret: fc.boolean(), jid: fc.constantFrom(APP_SERVER_JID, `node@${APP_SERVER_JID}`, "elsewhere.test") }).map(
    ({ knownNode, knownSecret, jid }) =>
      (memory: MucMemory) => ({
        type: "set" as const,
        payload: buildEnable({ jid, node: (knownNode && memory.node) || "made-up-node", publishOptions: { secret: (knownSecret && memory.secret) || "wrong" } }),
      }),
  ),
  fc.option(fc.constant("made-up-node"), { nil: undefined }).map((node) => (memory: MucMemory) => ({ type: "set" as const, payload: buildDisable({ jid: APP_SERVER_JID, node: node ?? memory.node }) })),
  fc.constant(() => ({ type: "get" as const, payload: xml("enable", { xmlns: NS.push, jid: APP_SERVER_JID, node: "n" }) })),
  fc.constant(() => ({ type: "get" as const, payload: xml("ping", { xmlns: NS.ping }) })),
  fc.constant(() => ({ type: "set" as const, payload: undefined })),
);

const iq: fc.Arbitrary<MucStanza> = fc.record({ to: mucAddress, request: iqRequest }).map(({ to, request }) => (memory, id) => {
  const { type, payload } = request(memory);
  return buildIq({ type, to, id }, payload);
});

/** Anything a member's client sends to the MUC service. */
export const mucStanza: fc.Arbitrary<MucStanza> = fc.oneof(
  { arbitrary: joinPresence, weight: 3 },
  { arbitrary: otherPresence, weight: 2 },
  { arbitrary: groupchat, weight: 4 },
  { arbitrary: iq, weight: 4 },
);
