import fc from "fast-check";
import { buildDiscoItemsQuery, buildIq, type Element, NS, parseStanzaError, parseXml, toJid } from "../../src/protocol/index.js";
import { createAppServer, createMucService, createXmppServer, type MucService, type MucServiceOptions } from "../../src/sim/index.js";
import { BoundLink } from "./bound-link.js";
import { settle } from "./drive-case.js";
import { damagedStanza, elementDamage, type ElementDamage } from "./element-mutations.js";
import type { EscapeLog } from "./escape-log.js";
import { expectNoProblems, fuzzProperty } from "./fuzz-property.js";
import { APP_SERVER_JID, DOMAIN, FUZZ_LIMITS, USERS } from "./fuzz-server.js";
import { remember } from "./app-server-requests.js";
import { registerCommand, type Username } from "./login-stanzas.js";
import { MUC_JID, type MucMemory, type MucStanza, mucStanza } from "./muc-stanzas.js";
import { outputProblems } from "./well-formed-output.js";

/** Small enough that a few cases reach every limit: rooms, occupants, history, affiliations, push registrations. */
export const MUC_LIMITS = { maxRooms: 2, maxOccupants: 2, maxHistory: 3, maxAffiliations: 3, maxPushRegistrations: 2, maxRelayedIqs: 4 } satisfies Partial<MucServiceOptions>;

interface MucStep {
  /** Which of the case's two connections sends it. */
  readonly from: 0 | 1;
  readonly stanza: MucStanza;
  readonly damage: ElementDamage | undefined;
}

interface MucCase {
  readonly members: readonly [Member, Member];
  readonly steps: readonly MucStep[];
}

interface Member {
  readonly username: Username;
  /** From a few: a later case's session with the same full JID finds the earlier one's occupants. */
  readonly resource: string;
  /** Registers at the app server first, so that enables at the room and domain can name a real node. */
  readonly registers: boolean;
}

const member = (username: Username): fc.Arbitrary<Member> =>
  fc.record({ username: fc.constant(username), resource: fc.constantFrom("a", "b", "c"), registers: fc.boolean() });

/** The second connection is sometimes alice's other resource, so that one user's sessions share nicks (M7) and move between them (M8). */
const secondMember: fc.Arbitrary<Member> = fc.oneof(
  member("bob"),
  fc.record({ username: fc.constant<Username>("alice"), resource: fc.constantFrom("d", "e"), registers: fc.boolean() }),
);

const mucCase: fc.Arbitrary<MucCase> = fc.record({
  members: fc.tuple(member("alice"), secondMember),
  steps: fc.array(fc.record({ from: fc.constantFrom<0 | 1>(0, 1), stanza: mucStanza, damage: fc.option(elementDamage, { nil: undefined, freq: 2 }) }), { minLength: 1, maxLength: 12 }),
});

/** An IQ request a client sent while its link was open, and whether its answer must come from the MUC service. */
interface SentIq {
  readonly id: string;
  readonly toMuc: boolean;
  /** To `room/nick`: the service may relay it to the occupant (M10), whose answer it is; the fuzz clients answer nothing. */
  readonly toOccupant: boolean;
  readonly text: string;
}

async function runMucCase(server: LinkAcceptorWithClose, muc: MucService, input: MucCase, log: EscapeLog): Promise<string[]> {
  const escapedBefore = log.total;
  const links = input.members.map((who) => new BoundLink(server.server, who.username, who.resource, log));
  const memories: MucMemory[] = [{}, {}];
  for (const [index, who] of input.members.entries()) {
    const link = links[index];
    if (!link?.open) continue;
    // Available first: the room's messages to a member with no available resource are the server's to bounce or push.
    link.receive("<presence/>");
    const registered = who.registers ? await link.request(buildRegisterIq(index)) : undefined;
    if (registered) remember(memories[index]!, registered);
  }
  const sent: SentIq[][] = [[], []];
  for (const [index, step] of input.steps.entries()) {
    const link = links[step.from];
    if (!link?.open) continue;
    const { element: stanza, text } = damagedStanza(step.stanza(memories[step.from]!, `s${index}`), step.damage);
    link.receive(text);
    // A stanza that ended the stream (too big, a character XML forbids) is answered by the stream error.
    if (link.open && stanza.name === "iq" && (stanza.attrs.type === "get" || stanza.attrs.type === "set") && typeof stanza.attrs.id === "string") {
      sent[step.from]!.push({ id: stanza.attrs.id, toMuc: isAtMuc(stanza.attrs.to), toOccupant: hasResource(stanza.attrs.to), text });
    }
  }
  await settle();
  const problems = links.flatMap((link, index) => [
    ...answerProblems(link, sent[index]!).map((problem) => `connection ${index}: ${problem}`),
    ...outputProblems(link.link).map((problem) => `connection ${index}: ${problem}`),
  ]);
  // While the members are still in: their occupants and sessions; after they left: what stays.
  problems.push(...(await boundsProblems(server.server, muc, log)));
  for (const link of links) link.end();
  problems.push(...(await boundsProblems(server.server, muc, log)));
  const escaped = log.total - escapedBefore;
  if (escaped > 0) problems.push(`${escaped} exception(s) escaped:\n${log.recent.slice(-escaped).join("\n")}`);
  return problems;
}

/** Exactly one result or error for each IQ to the MUC service but those it may relay, never internal-server-error; at most one for the rest. */
function answerProblems(link: BoundLink, sent: readonly SentIq[]): string[] {
  const problems: string[] = [];
  const ids = sent.map((iq) => iq.id);
  for (const iq of sent) {
    // A damaged id may repeat another request's: its answers cannot be told apart.
    if (ids.filter((id) => id === iq.id).length > 1) continue;
    const answers = link.answersTo(iq.id);
    if (iq.toMuc && !iq.toOccupant ? answers.length !== 1 : answers.length > 1) problems.push(`IQ '${iq.id}' got ${answers.length} answers: ${iq.text.slice(0, 400)}`);
    for (const answer of answers) {
      if (answer.attrs.type === "error" && parseStanzaError(answer).condition === "internal-server-error") {
        problems.push(`internal-server-error: ${answer.toString().slice(0, 300)}\n  to ${iq.text.slice(0, 400)}`);
      }
    }
  }
  return problems;
}

/** The service's limits hold: rooms (seen by disco#items, as a client sees them), sessions, history, affiliations; an occupant is one user's, each session in one. */
async function boundsProblems(server: LinkAcceptorWithClose["server"], muc: MucService, log: EscapeLog): Promise<string[]> {
  const probe = new BoundLink(server, "alice", "probe", log);
  const items = await probe.request(buildIq({ type: "get", to: MUC_JID, id: "probe-items" }, buildDiscoItemsQuery()));
  probe.end();
  if (items?.attrs.type !== "result") return [`the service's disco#items got ${items?.toString().slice(0, 300) ?? "no answer"}`];
  const rooms = items.getChild("query", NS.discoItems)?.getChildren("item").map((item) => String(item.attrs.jid)) ?? [];
  const problems: string[] = [];
  if (rooms.length > MUC_LIMITS.maxRooms) problems.push(`${rooms.length} rooms, more than maxRooms ${MUC_LIMITS.maxRooms}`);
  for (const jid of rooms) {
    const room = muc.room(jid);
    if (!room) {
      problems.push(`disco#items lists ${jid}, which room() does not know`);
      continue;
    }
    const sessions = Object.values(room.sessions).flat();
    const affiliations = Object.keys(room.affiliations).length;
    // maxOccupants bounds sessions (M7): one user's resources sharing a nick count each.
    if (sessions.length > MUC_LIMITS.maxOccupants) problems.push(`${jid}: ${sessions.length} sessions`);
    if (new Set(sessions).size !== sessions.length) problems.push(`${jid}: a session in two occupants: ${JSON.stringify(room.sessions)}`);
    for (const [nick, jids] of Object.entries(room.sessions)) {
      if (jids.length === 0 || room.occupants[nick] !== jids[0]) problems.push(`${jid}: occupant '${nick}' with sessions ${JSON.stringify(jids)}`);
      if (new Set(jids.map((session) => toJid(session).bare().toString())).size > 1) problems.push(`${jid}: two users share the nick '${nick}'`);
    }
    if (room.history.length > MUC_LIMITS.maxHistory) problems.push(`${jid}: ${room.history.length} messages of history`);
    if (affiliations > MUC_LIMITS.maxAffiliations) problems.push(`${jid}: ${affiliations} affiliations`);
  }
  return problems;
}

function hasResource(to: unknown): boolean {
  try {
    return typeof to === "string" && toJid(to).resource !== "";
  } catch {
    return false;
  }
}

function isAtMuc(to: unknown): boolean {
  try {
    return typeof to === "string" && toJid(to).domain === MUC_JID;
  } catch {
    return false;
  }
}

/** The session scripts' registration command (text), as an element. */
function buildRegisterIq(index: number): Element {
  return parseXml(registerCommand(`register-${index}`));
}


interface LinkAcceptorWithClose {
  readonly server: ReturnType<typeof createXmppServer>;
  close(): Promise<void>;
}

/** The reference server with the app server and a small MUC service (offline delivery on) attached, for all the runs. */
function mucFuzzServer(log: EscapeLog): LinkAcceptorWithClose & { readonly muc: MucService } {
  const server = createXmppServer({ domain: DOMAIN, users: { ...USERS }, ...FUZZ_LIMITS });
  server.on("internal-error", (error, stanza) => log.internalError(error, stanza ? `on ${stanza.toString().slice(0, 300)}` : "on connection data"));
  const appServer = createAppServer({ jid: APP_SERVER_JID, mucPublishers: [MUC_JID] });
  const muc = createMucService({ jid: MUC_JID, ...MUC_LIMITS, offlineDelivery: true, pushSender: true });
  muc.on("internal-error", (error, stanza) => log.internalError(error, `in the MUC service on ${stanza.toString().slice(0, 300)}`));
  const detach = [server.attach(appServer), server.attach(muc)];
  return {
    server,
    muc,
    async close() {
      for (const undo of detach) undo();
      await server.close();
    },
  };
}

export const mucStanzas = fuzzProperty("MUC service: mutated presence, messages and IQs from two members are answered, within its limits", 4, (log) => {
  const fuzz = mucFuzzServer(log);
  return {
    property: fc.asyncProperty(mucCase, async (input) => expectNoProblems(await runMucCase(fuzz, fuzz.muc, input, log))),
    async finish() {
      await fuzz.close();
      return undefined;
    },
  };
});
