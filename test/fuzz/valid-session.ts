import fc from "fast-check";
import { clientFooter, clientHeader } from "./client-framing.js";
import { clientStanza } from "./client-stanzas.js";
import { USERS } from "./fuzz-server.js";
import { bindRequest, plainAuth, registerCommand, scramAuth, type Username } from "./login-stanzas.js";
import type { Framing } from "./recording-link.js";
import { scramClientFirst } from "./scram-client.js";
import { type ConnectionScript, type SessionScript, text, type Turn } from "./session-script.js";

const NS_SM = "urn:xmpp:sm:3";

/** SASL PLAIN on a secure link, SCRAM-SHA-1 on others: what the server offers on each. */
function saslTurns(username: Username, secure: boolean): fc.Arbitrary<Turn[]> {
  if (secure) return fc.constantFrom("", `${username}@example.test`).map((authzid) => [text("sasl", plainAuth(username, authzid), true)]);
  return fc.stringMatching(/^[A-Za-z0-9]{8,24}$/).map((nonce) => [
    text("sasl", scramAuth(scramClientFirst(username, nonce)), true),
    { role: "sasl", content: { kind: "scram-final", username, password: USERS[username], nonce }, awaitsAnswer: true },
  ]);
}

function loginTurns(framing: Framing, username: Username, secure: boolean): fc.Arbitrary<Turn[]> {
  return fc
    .tuple(saslTurns(username, secure), fc.boolean())
    .map(([sasl, declaration]) => [text("header", clientHeader(framing, declaration), true), ...sasl, text("header", clientHeader(framing, declaration), true)]);
}

/** Never `phone`: the other account's full JID that scripts address while it is offline. */
const resource = fc.stringMatching(/^r[a-z0-9]{0,8}$/);

function bindTurn(id: string): fc.Arbitrary<Turn> {
  return resource.map((name) => text("bind", bindRequest(id, name), true));
}

/** The turns of a PLAIN login and binding, for properties about what comes after. */
export function plainLogin(framing: Framing, username: Username, resourceName: string): Turn[] {
  return [
    text("header", clientHeader(framing), true),
    text("sasl", plainAuth(username), true),
    text("header", clientHeader(framing), true),
    text("bind", bindRequest("c0-bind", resourceName), true),
  ];
}

/**
 * Registration at the app server (an ad-hoc command routed through the server) and XEP-0357
 * enable with the node and secret it answered: the chain a real client sets up, so that later
 * publishes reach a registration the app server knows.
 */
function pushRegistration(connection: number): fc.Arbitrary<Turn[]> {
  return fc.constantFrom(
    [],
    [
      text("stanza", registerCommand(`c${connection}-register`), true),
      { role: "stanza", content: { kind: "push-enable", id: `c${connection}-enable` }, awaitsAnswer: true },
    ],
  );
}

const streamManagementEnable: fc.Arbitrary<Turn[]> = fc.constantFrom(
  [],
  [text("stream-management", `<enable xmlns='${NS_SM}'/>`)],
  [text("stream-management", `<enable xmlns='${NS_SM}' resume='true'/>`)],
);

function stanzaTurns(username: Username, connection: number): fc.Arbitrary<Turn[]> {
  return fc
    .array(clientStanza(username), { maxLength: 10 })
    .map((stanzas) => stanzas.map((render, index) => text("stanza", render(`c${connection}-${index}`))));
}

/** How a connection ends: the client closes its stream and the socket, only drops the socket, or leaves both open. */
function endingOf(framing: Framing): fc.Arbitrary<{ turns: Turn[]; ending: ConnectionScript["ending"] }> {
  return fc.constantFrom(
    { turns: [text("footer", clientFooter(framing))], ending: "drop" as const },
    { turns: [], ending: "drop" as const },
    { turns: [], ending: "keep" as const },
  );
}

function boundConnection(framing: Framing, secure: boolean, username: Username, connection: number): fc.Arbitrary<ConnectionScript> {
  return fc
    .tuple(loginTurns(framing, username, secure), bindTurn(`c${connection}-bind`), pushRegistration(connection), streamManagementEnable, stanzaTurns(username, connection), endingOf(framing))
    .map(([login, bind, push, management, stanzas, end]) => ({ username, turns: [...login, bind, ...push, ...management, ...stanzas, ...end.turns], ending: end.ending }));
}

/** A second connection of the same account that resumes the first one's XEP-0198 stream (or fails to). */
function resumingConnection(framing: Framing, secure: boolean, username: Username): fc.Arbitrary<ConnectionScript> {
  return fc
    .tuple(loginTurns(framing, username, secure), fc.constantFrom(0, 1, 2), stanzaTurns(username, 1), endingOf(framing))
    .map(([login, h, stanzas, end]) => ({
      username,
      turns: [...login, { role: "stream-management", content: { kind: "sm-resume", h }, awaitsAnswer: true }, ...stanzas, ...end.turns],
      ending: end.ending,
    }));
}

/**
 * A well-behaved client session: open, SASL, open again, bind, optionally XEP-0198, stanzas of
 * every kind the server handles, an ending; sometimes followed by a resumption, or by the other
 * account logging in (whose messages to the first one go offline and to push).
 */
export function validSession(framing: Framing, secure: boolean): fc.Arbitrary<SessionScript> {
  const first = fc.constantFrom<Username>("alice", "bob").chain((username) =>
    fc.tuple(
      boundConnection(framing, secure, username, 0),
      fc.oneof(
        fc.constant(undefined),
        resumingConnection(framing, secure, username),
        boundConnection(framing, secure, username === "alice" ? "bob" : "alice", 1),
      ),
    ),
  );
  return first.map(([connection, next]) => ({ framing, secure, connections: next ? [connection, next] : [connection] }));
}
