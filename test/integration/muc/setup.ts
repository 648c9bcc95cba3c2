import { type Client, xml } from "@xmpp/client";
import { createMucService, type MucService, type MucServiceOptions } from "../../../src/sim/index.js";
import { afterRoundTrip, type Chain, createChain, deliveredAll, record, waitFor } from "../../helpers/chain.js";

export const MUC = "conference.example.test";
export const ROOM = `team@${MUC}`;
const NS_MUC = "http://jabber.org/protocol/muc";

export interface MucChain extends Chain {
  muc: MucService;
  /** The user's server's publishes (its `published` events), from the chain's start. */
  published: readonly unknown[];
}

/** The chain with accounts alice, bob, carol, dave and a MUC service attached. */
export function createMucChain(options: Omit<MucServiceOptions, "jid"> = {}, server: Pick<Parameters<typeof createChain>[0] & object, "preset"> = {}): MucChain {
  const chain = createChain({ ...server, server: { users: { alice: "pw", bob: "pw", carol: "pw", dave: "pw" } }, appServer: { mucPublishers: [MUC] } });
  const muc = createMucService({ jid: MUC, ...options });
  chain.server.attach(muc);
  return Object.assign(chain, { muc, published: record(chain.server, "published") });
}

/** Sends initial presence, then joins `room` as `nick`; resolves with the self-presence (status 110), or the error presence. */
export async function join(xmpp: Client, nick: string, room = ROOM): Promise<ReturnType<typeof xml>> {
  const self = new Promise<ReturnType<typeof xml>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer to ${nick}'s join`)), 3000);
    const listener = (stanza: ReturnType<typeof xml>) => {
      if (stanza.name !== "presence" || stanza.attrs.from !== `${room}/${nick}`) return;
      const codes = stanza.getChild("x", `${NS_MUC}#user`)?.getChildren("status").map((status) => status.attrs.code) ?? [];
      if (stanza.attrs.type !== "error" && !codes.includes("110")) return;
      clearTimeout(timer);
      xmpp.off("stanza", listener);
      resolve(stanza);
    };
    xmpp.on("stanza", listener);
  });
  await xmpp.send(xml("presence"));
  await xmpp.send(xml("presence", { to: `${room}/${nick}` }, xml("x", { xmlns: NS_MUC })));
  return self;
}

/** The owner makes these users members of the room, each with the reserved nick given (muc#admin, XEP-0045 §9.5). */
export async function setMembers(owner: Client, members: Record<string, string>, room = ROOM): Promise<void> {
  const items = Object.entries(members).map(([jid, nick]) => xml("item", { affiliation: "member", jid, nick }));
  await owner.iqCaller.request(xml("iq", { type: "set", to: room }, xml("query", { xmlns: `${NS_MUC}#admin` }, ...items)));
}

export function groupchat(body: string, children: ReturnType<typeof xml>[] = [], room = ROOM): ReturnType<typeof xml> {
  return xml("message", { to: room, type: "groupchat" }, xml("body", {}, body), ...children);
}

/** Collects the groupchat messages a client receives. */
export function groupchatsOf(xmpp: Client): ReturnType<typeof xml>[] {
  const received: ReturnType<typeof xml>[] = [];
  xmpp.on("stanza", (stanza) => {
    if (stanza.name === "message" && stanza.attrs.type === "groupchat" && stanza.getChildText("body") !== null) received.push(stanza);
  });
  return received;
}

export async function waitForCount(list: readonly unknown[], count: number, what: string): Promise<void> {
  await waitFor(() => list.length >= count, 3000, what);
}

/** alice owns the room and writes; bob, carol and dave are members with reserved nicks; carol is joined. */
export async function openRoom(chain: MucChain) {
  const alice = await chain.connect("alice", "laptop");
  await join(alice, "alice");
  await setMembers(alice, { "bob@example.test": "bob", "carol@example.test": "carol", "dave@example.test": "dave" });
  const carol = await chain.connect("carol", "laptop");
  const carolSees = groupchatsOf(carol);
  await join(carol, "carol");
  return { alice, carol, carolSees };
}

/**
 * Sentinel for "nothing more was pushed": `xmpp`'s round trip to the room, which answers after the
 * messages the room has before it — and the room publishes (M5, M6) and hands the offline copies
 * to the user's server, which publishes (M4), while handling each — then the app server's delivery
 * of every publish handed to it.
 */
export async function allPushedAfter(chain: MucChain, xmpp: Client): Promise<void> {
  await afterRoundTrip(xmpp, ROOM);
  await deliveredAll(chain.appServer, () => chain.muc.pushes.length + chain.published.length);
}

export type Stanza = ReturnType<typeof xml>;

/** The status codes of a room presence. */
export const codes = (presence: Stanza): string[] => presence.getChild("x", `${NS_MUC}#user`)?.getChildren("status").map((status) => String(status.attrs.code)) ?? [];

/** The attributes of a room presence's items. */
export const items = (presence: Stanza): Record<string, string>[] => presence.getChild("x", `${NS_MUC}#user`)?.getChildren("item").map((item) => item.attrs) ?? [];

/** Every presence and message from the room or its occupants a client gets, from now on. */
export function fromRoom(xmpp: Client, room = ROOM): Stanza[] {
  const seen: Stanza[] = [];
  xmpp.on("stanza", (stanza: Stanza) => {
    if (stanza.name !== "iq" && String(stanza.attrs.from ?? "").startsWith(room)) seen.push(stanza);
  });
  return seen;
}

/** Sentinel: the room has handled what `sender` sent before, and each of `observers` has read what the room sent it meanwhile. */
export async function settled(sender: Client, ...observers: Client[]): Promise<void> {
  await afterRoundTrip(sender, ROOM);
  for (const observer of observers) await afterRoundTrip(observer);
}

/** alice's laptop (the owner, so a moderator who sees real JIDs) in the room as "alice", carol's phone as "carol", both settled. */
export async function aliceAndCarolIn(chain: MucChain): Promise<{ laptop: Client; carol: Client }> {
  const laptop = await chain.connect("alice", "laptop");
  await join(laptop, "alice");
  const carol = await chain.connect("carol", "phone");
  await join(carol, "carol");
  await settled(carol, laptop);
  return { laptop, carol };
}
