import fc from "fast-check";
import { buildDisable, buildDiscoInfoQuery, buildDiscoItemsQuery, buildEnable, buildIq, type Element, NS, xml } from "../../src/protocol/index.js";
import { APP_SERVER_JID, DOMAIN } from "./fuzz-server.js";

const NS_SM = "urn:xmpp:sm:3";

/** A stanza (or nonza) a bound client sends, given the id its IQs take; ids are assigned per turn. */
export type StanzaTemplate = (id: string) => string;

/** Where a bound session of `username` sends things: itself, the other account, the server, the app server, nowhere. */
function addresses(username: string): fc.Arbitrary<string> {
  const other = username === "alice" ? "bob" : "alice";
  return fc.constantFrom(
    `${username}@${DOMAIN}`,
    `${other}@${DOMAIN}`,
    `${other}@${DOMAIN}/phone`,
    `nobody@${DOMAIN}`,
    DOMAIN,
    APP_SERVER_JID,
    `node@${APP_SERVER_JID}`,
    "elsewhere.test",
    "not a jid@",
  );
}

/** Printable text of any script: what a user may type into a message. */
const humanText = fc.string({ unit: "grapheme", maxLength: 40 });
const token = fc.stringMatching(/^[A-Za-z0-9._-]{1,16}$/);

function presence(username: string): fc.Arbitrary<StanzaTemplate> {
  return fc
    .record({
      to: fc.option(addresses(username), { nil: undefined }),
      type: fc.constantFrom(undefined, "unavailable", "subscribe", "probe"),
      show: fc.constantFrom(undefined, "away", "dnd", "chat"),
      status: fc.option(humanText, { nil: undefined }),
    })
    .map(({ to, type, show, status }) => () => xml("presence", { to, type }, show && xml("show", {}, show), status && xml("status", {}, status)).toString());
}

function message(username: string): fc.Arbitrary<StanzaTemplate> {
  return fc
    .record({
      to: addresses(username),
      type: fc.constantFrom(undefined, "chat", "normal", "headline", "groupchat", "error"),
      body: fc.option(humanText, { nil: undefined }),
      chatState: fc.boolean(),
    })
    .map(({ to, type, body, chatState }) => (id: string) =>
      xml("message", { to, type, id }, body !== undefined && xml("body", {}, body), chatState && xml("active", { xmlns: "http://jabber.org/protocol/chatstates" })).toString(),
    );
}

const publishOptions = fc.dictionary(fc.constantFrom("secret", "endpoint", "token", "extra"), token, { maxKeys: 3 });

const iqPayload: fc.Arbitrary<{ type: "get" | "set"; payload: Element | undefined }> = fc.oneof(
  fc.constant({ type: "get" as const, payload: xml("ping", { xmlns: NS.ping }) }),
  fc.option(token, { nil: undefined }).map((node) => ({ type: "get" as const, payload: buildDiscoInfoQuery(node) })),
  fc.option(fc.constantFrom(NS.commands, "x"), { nil: undefined }).map((node) => ({ type: "get" as const, payload: buildDiscoItemsQuery(node) })),
  fc.constant({ type: "get" as const, payload: xml("query", { xmlns: "jabber:iq:roster" }) }),
  fc
    .record({ node: token, options: publishOptions, jid: fc.constantFrom(APP_SERVER_JID, `node@${APP_SERVER_JID}`) })
    .map(({ node, options, jid }) => ({ type: "set" as const, payload: buildEnable({ jid, node, publishOptions: options }) })),
  fc.record({ node: fc.option(token, { nil: undefined }) }).map(({ node }) => ({ type: "set" as const, payload: buildDisable({ jid: APP_SERVER_JID, node }) })),
  // Requests the server refuses: a get of a set-only payload, an unknown namespace, no payload at all.
  fc.constant({ type: "get" as const, payload: xml("enable", { xmlns: NS.push, jid: APP_SERVER_JID, node: "n" }) }),
  fc.constant({ type: "get" as const, payload: xml("vcard", { xmlns: "vcard-temp" }) }),
  fc.constant({ type: "get" as const, payload: undefined }),
);

function iq(username: string): fc.Arbitrary<StanzaTemplate> {
  return fc
    .record({ to: fc.option(addresses(username), { nil: undefined }), request: iqPayload })
    .map(({ to, request }) => (id: string) => buildIq({ type: request.type, to, id }, request.payload).toString());
}

const streamManagementNonza: fc.Arbitrary<StanzaTemplate> = fc.constantFrom(
  () => xml("r", { xmlns: NS_SM }).toString(),
  () => xml("a", { xmlns: NS_SM, h: 0 }).toString(),
);

const keepalive: fc.Arbitrary<StanzaTemplate> = fc.constantFrom(" ", "\n", "\r\n\t").map((space) => () => space);

/** Anything a bound session of `username` may send. */
export function clientStanza(username: string): fc.Arbitrary<StanzaTemplate> {
  return fc.oneof(
    { arbitrary: message(username), weight: 3 },
    { arbitrary: iq(username), weight: 4 },
    { arbitrary: presence(username), weight: 2 },
    { arbitrary: streamManagementNonza, weight: 1 },
    { arbitrary: keepalive, weight: 1 },
  );
}
