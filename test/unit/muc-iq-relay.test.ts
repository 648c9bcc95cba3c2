import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type Element, xml } from "../../src/protocol/index.js";
import type { MucContext } from "../../src/sim/muc/context.js";
import { IqRelay, RELAYED_IQ_TIMEOUT } from "../../src/sim/muc/iq-relay.js";
import { Occupant } from "../../src/sim/muc/occupant.js";
import { Room } from "../../src/sim/muc/room.js";

const ROOM = "team@conference.example.test";

/** A room with carol and alice, and a relay whose sent stanzas are recorded. */
function relayWithRoom(limit: number) {
  const room = new Room(ROOM, false, { maxOccupants: 10, maxHistory: 5, maxAffiliations: 10 });
  for (const [nick, session] of [["carol", "carol@example.test/phone"], ["alice", "alice@example.test/laptop"]] as const) {
    const occupant = new Occupant(nick, session.split("/")[0]!, "participant");
    occupant.sessions.set(session, xml("presence"));
    room.occupants.set(nick, occupant);
  }
  const sent: Element[] = [];
  const context = { rooms: new Map([[ROOM, room]]), send: (stanza: Element) => sent.push(stanza) > 0 } as unknown as MucContext;
  return { relay: new IqRelay(context, limit), room, sent };
}

const request = (id: string) => xml("iq", { type: "get", id, from: "carol@example.test/phone", to: `${ROOM}/alice` }, xml("query", { xmlns: "jabber:iq:version" }));
const replyTo = (relayed: Element) => xml("iq", { type: "result", id: relayed.attrs.id, from: "alice@example.test/laptop", to: `${ROOM}/carol` });

describe("M10: the relay's pending requests are bounded in time", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("a request unanswered for RELAYED_IQ_TIMEOUT is forgotten: its place is free, a late reply is dropped", () => {
    const { relay, room, sent } = relayWithRoom(1);
    relay.request(room, request("first"));
    const relayed = sent[0]!;
    expect(relay.pending).toBe(1);
    vi.advanceTimersByTime(RELAYED_IQ_TIMEOUT - 1);
    expect(relay.pending).toBe(1);
    vi.advanceTimersByTime(1);
    expect(relay.pending).toBe(0);
    relay.answered(replyTo(relayed));
    expect(sent).toHaveLength(1);
    // Nothing answers the sender at the timeout: as with Prosody, whose relay keeps no state, it hears nothing.
    relay.request(room, request("second"));
    relay.answered(replyTo(sent[1]!));
    expect(sent[2]?.attrs).toMatchObject({ type: "result", id: "second", from: `${ROOM}/alice`, to: "carol@example.test/phone" });
  });
});
