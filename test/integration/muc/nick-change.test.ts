import { xml } from "@xmpp/client";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "../../helpers/chain.js";
import { aliceAndCarolIn, codes, createMucChain, fromRoom, groupchat, groupchatsOf, items, join, type MucChain, ROOM, setMembers, settled, type Stanza } from "./setup.js";

let chain: MucChain;
afterEach(async () => {
  await chain?.close();
});

/** What a test compares of a room presence: from, type, status codes, and the items' nick and jid. */
const shape = (presence: Stanza) => [presence.attrs.from, presence.attrs.type, codes(presence), items(presence).map((item) => [item.nick, item.jid])];

function aliceAndCarol() {
  chain = createMucChain();
  return aliceAndCarolIn(chain);
}

describe("M8: nick change (XEP-0045 §7.6)", () => {
  it("the old nick goes unavailable with 303 and the new nick, then the new nick's presence comes (110 to the occupant); its messages come from the new nick", async () => {
    const { laptop, carol } = await aliceAndCarol();
    const aliceSees = fromRoom(laptop);
    const carolSees = fromRoom(carol);
    await carol.send(xml("presence", { to: `${ROOM}/caroline` }, xml("show", {}, "away")));
    await settled(carol, laptop);
    expect(carolSees.map(shape)).toEqual([
      [`${ROOM}/carol`, "unavailable", ["303", "110"], [["caroline", "carol@example.test/phone"]]],
      [`${ROOM}/caroline`, undefined, ["110"], [[undefined, "carol@example.test/phone"]]],
    ]);
    expect(aliceSees.map(shape)).toEqual([
      [`${ROOM}/carol`, "unavailable", ["303"], [["caroline", "carol@example.test/phone"]]],
      [`${ROOM}/caroline`, undefined, [], [[undefined, "carol@example.test/phone"]]],
    ]);
    // Ex. 49: the role stays the occupant's in the 303 presence; the new presence carries the show.
    expect(items(aliceSees[0]!)[0]).toMatchObject({ role: "participant", affiliation: "none" });
    expect(aliceSees[1]!.getChildText("show")).toBe("away");
    expect(chain.muc.room(ROOM)?.occupants).toEqual({ alice: "alice@example.test/laptop", caroline: "carol@example.test/phone" });

    const aliceGroup = groupchatsOf(laptop);
    await carol.send(groupchat("renamed"));
    await waitFor(() => aliceGroup.length === 1, 3000, "carol's groupchat");
    expect(aliceGroup[0]!.attrs.from).toBe(`${ROOM}/caroline`);
  });

  it("a nick change sent with <x/> is also a rejoin, as Prosody takes it: the session gets the occupants and the subject again", async () => {
    const { laptop, carol } = await aliceAndCarol();
    const carolSees = fromRoom(carol);
    await carol.send(xml("presence", { to: `${ROOM}/caroline` }, xml("x", { xmlns: "http://jabber.org/protocol/muc" })));
    await settled(carol, laptop);
    expect(carolSees.map((stanza) => [stanza.name, stanza.attrs.from, stanza.attrs.type, codes(stanza)])).toEqual([
      ["presence", `${ROOM}/carol`, "unavailable", ["303", "110"]],
      ["presence", `${ROOM}/alice`, undefined, []],
      ["presence", `${ROOM}/caroline`, undefined, ["110"]],
      ["message", ROOM, "groupchat", []],
    ]);
  });

  it("a nick in use or reserved by another user is a conflict (ex. 51) from the nick asked for; the occupant keeps its old nick and the room hears nothing", async () => {
    const { laptop, carol } = await aliceAndCarol();
    await setMembers(laptop, { "bob@example.test": "bob" });
    const aliceSees = fromRoom(laptop);
    const carolSees = fromRoom(carol);
    await carol.send(xml("presence", { to: `${ROOM}/alice` }));
    await carol.send(xml("presence", { to: `${ROOM}/bob` }));
    await settled(carol, laptop);
    expect(carolSees.map((stanza) => [stanza.attrs.from, stanza.attrs.type, stanza.getChild("error")?.attrs.type, stanza.getChild("error")?.getChild("conflict") !== undefined])).toEqual([
      [`${ROOM}/alice`, "error", "cancel", true],
      [`${ROOM}/bob`, "error", "cancel", true],
    ]);
    expect(aliceSees).toEqual([]);
    expect(chain.muc.room(ROOM)?.occupants).toEqual({ alice: "alice@example.test/laptop", carol: "carol@example.test/phone" });
  });

  it("one session of a multi-session occupant moves alone, as Prosody: only it sees 303; the room sees the old nick stay and the new one join", async () => {
    const { laptop, carol } = await aliceAndCarol();
    const tablet = await chain.connect("alice", "tablet");
    await join(tablet, "alice");
    await settled(tablet, carol, laptop);
    const carolSees = fromRoom(carol);
    const laptopSees = fromRoom(laptop);
    const tabletSees = fromRoom(tablet);
    await tablet.send(xml("presence", { to: `${ROOM}/ally` }));
    await settled(tablet, carol, laptop);

    expect(tabletSees.map(shape)).toEqual([
      [`${ROOM}/alice`, "unavailable", ["303", "110"], [["ally", "alice@example.test/tablet"]]],
      [`${ROOM}/ally`, undefined, ["110"], [[undefined, "alice@example.test/tablet"]]],
      [`${ROOM}/alice`, undefined, [], [[undefined, "alice@example.test/laptop"]]],
    ]);
    expect(carolSees.map(shape)).toEqual([
      [`${ROOM}/alice`, undefined, [], [[undefined, undefined]]],
      [`${ROOM}/ally`, undefined, [], [[undefined, undefined]]],
    ]);
    expect(laptopSees.map(shape)).toEqual([
      [`${ROOM}/alice`, undefined, ["110"], [[undefined, "alice@example.test/laptop"]]],
      [`${ROOM}/ally`, undefined, [], [[undefined, "alice@example.test/tablet"]]],
    ]);
    expect(chain.muc.room(ROOM)?.sessions).toEqual({
      alice: ["alice@example.test/laptop"],
      carol: ["carol@example.test/phone"],
      ally: ["alice@example.test/tablet"],
    });

    // Back to "alice": the session joins the nick its user holds; the room sees "ally" leave (no 303) and alice's presence again.
    carolSees.length = 0;
    tabletSees.length = 0;
    await tablet.send(xml("presence", { to: `${ROOM}/alice` }));
    await settled(tablet, carol, laptop);
    expect(carolSees.map(shape)).toEqual([
      [`${ROOM}/ally`, "unavailable", [], [[undefined, undefined]]],
      [`${ROOM}/alice`, undefined, [], [[undefined, undefined]]],
    ]);
    expect(tabletSees.map(shape)).toEqual([
      [`${ROOM}/alice`, "unavailable", [], [[undefined, undefined]]],
      [`${ROOM}/ally`, "unavailable", ["303", "110"], [["alice", "alice@example.test/tablet"]]],
      [`${ROOM}/alice`, undefined, ["110"], [[undefined, "alice@example.test/laptop"], [undefined, "alice@example.test/tablet"]]],
    ]);
    expect(chain.muc.room(ROOM)?.sessions).toEqual({ alice: ["alice@example.test/laptop", "alice@example.test/tablet"], carol: ["carol@example.test/phone"] });
  });

  it("a multi-session move sent with <x/> gets, in Prosody's order, the occupants, its new presence, the old nick again, then the subject", async () => {
    const { laptop, carol } = await aliceAndCarol();
    const tablet = await chain.connect("alice", "tablet");
    await join(tablet, "alice");
    await settled(tablet, carol, laptop);
    const tabletSees = fromRoom(tablet);
    await tablet.send(xml("presence", { to: `${ROOM}/ally` }, xml("x", { xmlns: "http://jabber.org/protocol/muc" })));
    await settled(tablet, carol, laptop);
    const order = tabletSees.map((stanza) => (stanza.name === "message" ? "subject" : `${String(stanza.attrs.from).split("/")[1]} ${stanza.attrs.type ?? "available"}`));
    expect(order).toEqual(["alice unavailable", "alice available", "carol available", "ally available", "alice available", "subject"]);
  });
});
