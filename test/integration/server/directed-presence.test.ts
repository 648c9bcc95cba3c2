import { xml } from "@xmpp/client";
import { afterEach, describe, expect, it } from "vitest";
import type { Element } from "../../../src/protocol/index.js";
import { createMucService, type MucService } from "../../../src/sim/index.js";
import { type Chain, createChain, waitFor } from "../../helpers/chain.js";
import { dropConnection } from "../../helpers/managed-clients.js";

const MUC = "conference.example.test";
const ROOM = `team@${MUC}`;
const NS_MUC = "http://jabber.org/protocol/muc";

let chain: Chain;
let muc: MucService;
afterEach(() => chain?.close());

function setup(): void {
  chain = createChain();
  muc = createMucService({ jid: MUC });
  chain.server.attach(muc);
}

async function joined(username: string, nick: string) {
  const xmpp = await chain.connect(username, "laptop");
  await xmpp.send(xml("presence"));
  await xmpp.send(xml("presence", { to: `${ROOM}/${nick}` }, xml("x", { xmlns: NS_MUC })));
  await waitFor(() => Object.keys(muc.room(ROOM)?.occupants ?? {}).includes(nick), 3000, `${nick} joined`);
  return xmpp;
}

function presencesFrom(xmpp: Awaited<ReturnType<Chain["connect"]>>, from: string): Element[] {
  const seen: Element[] = [];
  xmpp.on("stanza", (stanza: Element) => {
    if (stanza.is("presence") && stanza.attrs.from === from) seen.push(stanza);
  });
  return seen;
}

describe("RFC 6121 §4.6.3: directed presence ends with the session (S15)", () => {
  it("a session that ends leaves the rooms it joined: the room hears unavailable from the server", async () => {
    setup();
    const alice = await joined("alice", "alice");
    const bob = await joined("bob", "bob");
    const aliceSees = presencesFrom(alice, `${ROOM}/bob`);
    await bob.stop();
    await waitFor(() => aliceSees.some((presence) => presence.attrs.type === "unavailable"), 3000, "bob's leave at alice");
    expect(Object.keys(muc.room(ROOM)?.occupants ?? {})).toEqual(["alice"]);
  });

  it("so does broadcast unavailable presence; a hibernated session stays in its rooms", async () => {
    setup();
    await joined("alice", "alice");
    const bob = await joined("bob", "bob");
    await bob.send(xml("presence", { type: "unavailable" }));
    await waitFor(() => !Object.keys(muc.room(ROOM)?.occupants ?? {}).includes("bob"), 3000, "bob left");

    const carol = await joined("carol", "carol");
    await dropConnection(chain.server, carol);
    // The dropped connection's session waits for resumption, still an occupant.
    expect(Object.keys(muc.room(ROOM)?.occupants ?? {}).sort()).toEqual(["alice", "carol"]);
  });
});
