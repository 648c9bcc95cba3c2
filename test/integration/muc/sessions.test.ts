import { type Client, xml } from "@xmpp/client";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "../../helpers/chain.js";
import { codes, createMucChain, fromRoom, groupchat, groupchatsOf, items, join, type MucChain, ROOM, settled, type Stanza } from "./setup.js";

let chain: MucChain;
afterEach(async () => {
  await chain?.close();
});

/** alice's laptop (owner) in the room as "alice", carol as "carol", and a groupchat of carol's in the history. */
async function roomWithCarol(chainOptions: Parameters<typeof createMucChain>[0] = {}) {
  chain = createMucChain(chainOptions);
  const laptop = await chain.connect("alice", "laptop");
  await join(laptop, "alice");
  const carol = await chain.connect("carol", "phone");
  await join(carol, "carol");
  await carol.send(groupchat("before the tablet"));
  await settled(carol);
  return { laptop, carol };
}

describe("M7: one user's resources with the same nick are one occupant with several sessions (Prosody)", () => {
  it("a second resource joining with the nick gets the occupants, its own presence (110) and the history; the others see a presence update, not a join", async () => {
    const { laptop, carol } = await roomWithCarol();
    const carolSees = fromRoom(carol);
    const laptopSees = fromRoom(laptop);
    const tablet = await chain.connect("alice", "tablet");
    const tabletSees = fromRoom(tablet);
    const self = await join(tablet, "alice");
    expect(self.attrs.type).toBeUndefined();
    expect(codes(self)).toEqual(["110"]);
    await waitFor(() => tabletSees.some((stanza) => stanza.getChild("subject")), 3000, "the tablet's subject");
    await settled(tablet, carol, laptop);

    expect(tabletSees.map((stanza) => [stanza.name, stanza.attrs.from, stanza.getChildText("body")])).toEqual([
      ["presence", `${ROOM}/carol`, null],
      ["presence", `${ROOM}/alice`, null],
      ["message", `${ROOM}/carol`, "before the tablet"],
      ["message", ROOM, null],
    ]);
    // The user sees all its sessions' real JIDs.
    expect(items(self).map((item) => item.jid)).toEqual(["alice@example.test/laptop", "alice@example.test/tablet"]);
    // carol, a participant, gets one available presence of alice's, anonymous: an update.
    expect(carolSees.map((stanza) => [stanza.name, stanza.attrs.from, stanza.attrs.type, codes(stanza)])).toEqual([["presence", `${ROOM}/alice`, undefined, []]]);
    expect(items(carolSees[0]!)).toEqual([{ affiliation: "owner", role: "moderator" }]);
    // The laptop gets its own presence again, with 110.
    expect(laptopSees.map((stanza) => [stanza.attrs.from, stanza.attrs.type, codes(stanza)])).toEqual([[`${ROOM}/alice`, undefined, ["110"]]]);
    expect(chain.muc.room(ROOM)?.sessions).toEqual({ alice: ["alice@example.test/laptop", "alice@example.test/tablet"], carol: ["carol@example.test/phone"] });
    expect(chain.muc.room(ROOM)?.occupants.alice).toBe("alice@example.test/laptop");

    // Another user still cannot take the nick.
    const dave = await chain.connect("dave");
    const refused = await join(dave, "alice");
    expect(refused.getChild("error")?.getChild("conflict")).toBeDefined();
  });

  it("a private message to the nick and every groupchat reach each of its sessions; a session's groupchat is from the nick", async () => {
    const { laptop, carol } = await roomWithCarol();
    const tablet = await chain.connect("alice", "tablet");
    await join(tablet, "alice");
    const chats = (xmpp: Client) => {
      const seen: Stanza[] = [];
      xmpp.on("stanza", (stanza: Stanza) => stanza.name === "message" && stanza.attrs.type === "chat" && seen.push(stanza));
      return seen;
    };
    const onLaptop = chats(laptop);
    const onTablet = chats(tablet);
    await carol.send(xml("message", { to: `${ROOM}/alice`, type: "chat" }, xml("body", {}, "psst")));
    await waitFor(() => onLaptop.length === 1 && onTablet.length === 1, 3000, "the private message on both sessions");
    expect([onLaptop[0]!.attrs.from, onTablet[0]!.attrs.from]).toEqual([`${ROOM}/carol`, `${ROOM}/carol`]);

    const laptopGroup = groupchatsOf(laptop);
    const tabletGroup = groupchatsOf(tablet);
    const carolGroup = groupchatsOf(carol);
    await tablet.send(groupchat("from the tablet"));
    await waitFor(() => laptopGroup.length === 1 && tabletGroup.length === 1 && carolGroup.length === 1, 3000, "the groupchat everywhere");
    expect(carolGroup[0]!.attrs.from).toBe(`${ROOM}/alice`);
    await settled(tablet, laptop, carol);
    expect([laptopGroup.length, tabletGroup.length, carolGroup.length]).toEqual([1, 1, 1]);
  });

  it("the occupant leaves only with its last session: the first to go sees itself leave, the room sees the occupant stay", async () => {
    const { laptop, carol } = await roomWithCarol();
    const tablet = await chain.connect("alice", "tablet");
    await join(tablet, "alice");
    await settled(tablet, carol, laptop);
    const carolSees = fromRoom(carol);
    const tabletSees = fromRoom(tablet);
    await laptop.send(xml("presence", { to: `${ROOM}/alice`, type: "unavailable" }));
    await settled(laptop, carol, tablet);
    expect(carolSees.map((stanza) => [stanza.attrs.from, stanza.attrs.type])).toEqual([[`${ROOM}/alice`, undefined]]);
    expect(tabletSees.map((stanza) => [stanza.attrs.from, stanza.attrs.type, codes(stanza)])).toEqual([[`${ROOM}/alice`, undefined, ["110"]]]);
    expect(chain.muc.room(ROOM)?.sessions.alice).toEqual(["alice@example.test/tablet"]);
    expect(chain.muc.room(ROOM)?.occupants.alice).toBe("alice@example.test/tablet");

    await tablet.send(xml("presence", { to: `${ROOM}/alice`, type: "unavailable" }));
    await settled(tablet, carol);
    expect(carolSees.slice(1).map((stanza) => [stanza.attrs.from, stanza.attrs.type])).toEqual([[`${ROOM}/alice`, "unavailable"]]);
    expect(Object.keys(chain.muc.room(ROOM)?.occupants ?? {})).toEqual(["carol"]);
  });

  it("a joined session re-sending its join presence (with <x/>) is taken for a rejoin: it gets the room again, the others an update", async () => {
    const { laptop, carol } = await roomWithCarol();
    const carolSees = fromRoom(carol);
    const laptopSees = fromRoom(laptop);
    await carol.send(xml("presence", { to: `${ROOM}/carol` }, xml("x", { xmlns: "http://jabber.org/protocol/muc" })));
    await settled(carol, laptop);
    expect(carolSees.map((stanza) => [stanza.name, stanza.attrs.from, codes(stanza), stanza.getChildText("body")])).toEqual([
      ["presence", `${ROOM}/alice`, [], null],
      ["presence", `${ROOM}/carol`, ["110"], null],
      ["message", `${ROOM}/carol`, [], "before the tablet"],
      ["message", ROOM, [], null],
    ]);
    expect(laptopSees.map((stanza) => [stanza.attrs.from, stanza.attrs.type])).toEqual([[`${ROOM}/carol`, undefined]]);
    expect(chain.muc.room(ROOM)?.sessions.carol).toEqual(["carol@example.test/phone"]);
  });

  it("each session counts against maxOccupants, so one user's resources cannot grow a room past it", async () => {
    const { laptop } = await roomWithCarol({ maxOccupants: 3 });
    const tablet = await chain.connect("alice", "tablet");
    expect(codes(await join(tablet, "alice"))).toEqual(["110"]);
    const desk = await chain.connect("alice", "desk");
    const full = await join(desk, "alice");
    expect(full.getChild("error")?.getChild("service-unavailable")).toBeDefined();
    const dave = await chain.connect("dave");
    expect((await join(dave, "dave")).getChild("error")?.getChild("service-unavailable")).toBeDefined();
    await settled(laptop);
    expect(chain.muc.room(ROOM)?.sessions).toEqual({ alice: ["alice@example.test/laptop", "alice@example.test/tablet"], carol: ["carol@example.test/phone"] });
  });
});
