import { type Client, xml } from "@xmpp/client";
import { afterEach, describe, expect, it } from "vitest";
import { aliceAndCarolIn, codes, createMucChain, fromRoom, items, join, type MucChain, ROOM, settled, type Stanza } from "./setup.js";

const NS_STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

let chain: MucChain;
afterEach(async () => {
  await chain?.close();
});

/** alice (owner, moderator) and carol in the room. */
async function roomWithCarol() {
  chain = createMucChain();
  const { laptop: alice, carol } = await aliceAndCarolIn(chain);
  return { alice, carol };
}

/** An error as a server bounces a stanza it could not deliver: from the address it was sent to, back to its sender. */
function bounce(name: "message" | "presence", to: string, condition: string | undefined): Stanza {
  const error = condition === undefined ? [] : [xml("error", { type: "cancel" }, xml(condition, { xmlns: NS_STANZAS }))];
  return xml(name, { type: "error", to }, ...error);
}

const presences = (seen: Stanza[]) => seen.filter((stanza) => stanza.name === "presence");

async function kicked(carol: Client, alice: Client, stanza: Stanza) {
  const carolSees = fromRoom(carol);
  const aliceSees = fromRoom(alice);
  await carol.send(stanza);
  await settled(alice, carol);
  return { carolSees: presences(carolSees), aliceSees: presences(aliceSees) };
}

describe("M11: a session that bounces what the room sent it is kicked, as Prosody's handle_kickable", () => {
  it("a bounced private message (service-unavailable): everyone, the kicked session too, gets its unavailable presence with 333 and 'Kicked: service unavailable'", async () => {
    const { alice, carol } = await roomWithCarol();
    const { carolSees, aliceSees } = await kicked(carol, alice, bounce("message", `${ROOM}/alice`, "service-unavailable"));
    expect(aliceSees.map((p) => [p.attrs.from, p.attrs.type, codes(p), p.getChildText("status")])).toEqual([
      [`${ROOM}/carol`, "unavailable", ["333"], "Kicked: service unavailable"],
    ]);
    // alice moderates: she sees carol's real JID; the role is none.
    expect(items(aliceSees[0]!)).toEqual([{ affiliation: "none", role: "none", jid: "carol@example.test/phone" }]);
    expect(carolSees.map((p) => [p.attrs.from, p.attrs.type, codes(p), p.getChildText("status")])).toEqual([
      [`${ROOM}/carol`, "unavailable", ["333", "110"], "Kicked: service unavailable"],
    ]);
    expect(Object.keys(chain.muc.room(ROOM)?.occupants ?? {})).toEqual(["alice"]);
  });

  it("a bounced groupchat to the room's bare JID kicks too, and one without <error/> reads 'Kicked: presence error'", async () => {
    const { alice, carol } = await roomWithCarol();
    const { aliceSees } = await kicked(carol, alice, bounce("message", ROOM, undefined));
    expect(aliceSees.map((p) => [p.attrs.type, codes(p), p.getChildText("status")])).toEqual([["unavailable", ["333"], "Kicked: presence error"]]);
    expect(Object.keys(chain.muc.room(ROOM)?.occupants ?? {})).toEqual(["alice"]);
  });

  it("a bounced presence kicks whatever its condition", async () => {
    const { alice, carol } = await roomWithCarol();
    const { aliceSees } = await kicked(carol, alice, bounce("presence", `${ROOM}/alice`, "forbidden"));
    expect(aliceSees.map((p) => [p.attrs.type, codes(p), p.getChildText("status")])).toEqual([["unavailable", ["333"], "Kicked: forbidden"]]);
    expect(Object.keys(chain.muc.room(ROOM)?.occupants ?? {})).toEqual(["alice"]);
  });

  it("a message error with a condition that does not say the session is gone kicks no one: it goes on to the occupant named, as a private message", async () => {
    const { alice, carol } = await roomWithCarol();
    const aliceSees = fromRoom(alice);
    for (const condition of ["forbidden", "not-acceptable", "undefined-condition"]) await carol.send(bounce("message", `${ROOM}/alice`, condition));
    // <error/> without a condition is undefined-condition to Prosody, not kickable either.
    await carol.send(xml("message", { type: "error", to: `${ROOM}/alice` }, xml("error", { type: "cancel" })));
    await settled(carol, alice);
    expect(aliceSees.map((stanza) => [stanza.name, stanza.attrs.type, stanza.attrs.from])).toEqual(Array(4).fill(["message", "error", `${ROOM}/carol`]));
    expect(Object.keys(chain.muc.room(ROOM)?.occupants ?? {})).toEqual(["alice", "carol"]);
  });

  it("an error from someone not in the room changes nothing", async () => {
    const { alice } = await roomWithCarol();
    const dave = await chain.connect("dave");
    const aliceSees = fromRoom(alice);
    await dave.send(bounce("message", `${ROOM}/carol`, "service-unavailable"));
    await dave.send(bounce("presence", `${ROOM}/carol`, "service-unavailable"));
    await settled(dave, alice);
    expect(aliceSees).toEqual([]);
    expect(Object.keys(chain.muc.room(ROOM)?.occupants ?? {})).toEqual(["alice", "carol"]);
  });

  it("one session of several is taken out alone: the room sees the occupant's update, its other session its own presence (110), the kicked one nothing", async () => {
    const { alice: laptop, carol } = await roomWithCarol();
    const tablet = await chain.connect("alice", "tablet");
    await join(tablet, "alice");
    await settled(tablet, laptop, carol);
    const laptopSees = fromRoom(laptop);
    const carolSees = fromRoom(carol);
    const tabletSees = fromRoom(tablet);
    await tablet.send(bounce("message", `${ROOM}/carol`, "recipient-unavailable"));
    await settled(tablet, laptop, carol);
    expect(tabletSees).toEqual([]);
    expect(laptopSees.map((p) => [p.attrs.from, p.attrs.type, codes(p)])).toEqual([[`${ROOM}/alice`, undefined, ["110"]]]);
    expect(items(laptopSees[0]!).map((item) => item.jid)).toEqual(["alice@example.test/laptop"]);
    expect(carolSees.map((p) => [p.attrs.from, p.attrs.type, codes(p)])).toEqual([[`${ROOM}/alice`, undefined, []]]);
    expect(chain.muc.room(ROOM)?.sessions.alice).toEqual(["alice@example.test/laptop"]);
  });
});
