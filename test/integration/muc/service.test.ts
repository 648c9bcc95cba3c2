import { xml } from "@xmpp/client";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "../../helpers/chain.js";
import { createMucChain, groupchat, groupchatsOf, join, type MucChain, ROOM, setMembers } from "./setup.js";

let chain: MucChain;
afterEach(async () => {
  await chain?.close();
});

const NS_USER = "http://jabber.org/protocol/muc#user";
const codes = (presence: ReturnType<typeof xml>) => presence.getChild("x", NS_USER)?.getChildren("status").map((status) => status.attrs.code);

describe("M1: XEP-0045 join, leave, nicks", () => {
  it("a joiner gets the occupants first, then its own presence (110), then the subject", async () => {
    chain = createMucChain();
    const alice = await chain.connect("alice", "laptop");
    const created = await join(alice, "alice");
    expect(codes(created)).toEqual(["110", "201"]);

    const carol = await chain.connect("carol");
    const seen: ReturnType<typeof xml>[] = [];
    carol.on("stanza", (stanza) => seen.push(stanza));
    await join(carol, "carol");
    await waitFor(() => seen.some((stanza) => stanza.getChild("subject")), 3000, "the subject");
    const fromRoom = seen.filter((stanza) => String(stanza.attrs.from).startsWith(ROOM));
    expect(fromRoom.map((stanza) => [stanza.name, stanza.attrs.from])).toEqual([
      ["presence", `${ROOM}/alice`],
      ["presence", `${ROOM}/carol`],
      ["message", ROOM],
    ]);
    expect(chain.muc.room(ROOM)?.occupants).toEqual({ alice: "alice@example.test/laptop", carol: "carol@example.test/phone" });
  });

  it("a nick in use is a 409 conflict; a members-only room refuses a non-member (registration-required)", async () => {
    chain = createMucChain();
    const alice = await chain.connect("alice", "laptop");
    await join(alice, "alice");
    const carol = await chain.connect("carol");
    const refused = await join(carol, "alice");
    expect(refused.attrs.type).toBe("error");
    expect(refused.getChild("error")?.getChild("conflict")).toBeDefined();

    await alice.iqCaller.request(
      xml("iq", { type: "set", to: ROOM }, xml("query", { xmlns: "http://jabber.org/protocol/muc#owner" }, xml("x", { xmlns: "jabber:x:data", type: "submit" },
        xml("field", { var: "FORM_TYPE" }, xml("value", {}, "http://jabber.org/protocol/muc#roomconfig")),
        xml("field", { var: "muc#roomconfig_membersonly" }, xml("value", {}, "1"))))),
    );
    const dave = await chain.connect("dave");
    const closed = await join(dave, "dave");
    expect(closed.getChild("error")?.getChild("registration-required")).toBeDefined();
    await setMembers(alice, { "dave@example.test": "dave" });
    expect(codes(await join(dave, "dave"))).toEqual(["110"]);
  });

  it("M9: a join without <x xmlns='…muc'/> is item-not-found, to an existing room or a new one, as Prosody answers it", async () => {
    chain = createMucChain();
    const alice = await chain.connect("alice", "laptop");
    await join(alice, "alice");
    const carol = await chain.connect("carol");
    const answers: ReturnType<typeof xml>[] = [];
    carol.on("stanza", (stanza) => void (stanza.name === "presence" && answers.push(stanza)));
    await carol.send(xml("presence", { to: `${ROOM}/carol` }));
    await carol.send(xml("presence", { to: "elsewhere@conference.example.test/carol" }));
    await waitFor(() => answers.length === 2, 3000, "two answers");
    expect(answers.map((answer) => [answer.attrs.from, answer.attrs.type, answer.getChild("error")?.attrs.type, answer.getChild("error")?.getChildElements()[0]?.name])).toEqual([
      [`${ROOM}/carol`, "error", "cancel", "item-not-found"],
      ["elsewhere@conference.example.test/carol", "error", "cancel", "item-not-found"],
    ]);
    expect(Object.keys(chain.muc.room(ROOM)?.occupants ?? {})).toEqual(["alice"]);
    expect(chain.muc.room("elsewhere@conference.example.test")).toBeUndefined();
  });

  it("a reserved nick is refused to others; the member list reads back (muc#admin)", async () => {
    chain = createMucChain();
    const alice = await chain.connect("alice", "laptop");
    await join(alice, "alice");
    await setMembers(alice, { "bob@example.test": "bob" });
    const carol = await chain.connect("carol");
    expect((await join(carol, "bob")).getChild("error")?.getChild("conflict")).toBeDefined();
    const list = await alice.iqCaller.request(
      xml("iq", { type: "get", to: ROOM }, xml("query", { xmlns: "http://jabber.org/protocol/muc#admin" }, xml("item", { affiliation: "member" }))),
    );
    expect(list.getChild("query")?.getChildren("item").map((item) => item.attrs)).toEqual([{ affiliation: "member", jid: "bob@example.test", nick: "bob" }]);
    // Only the owner sets affiliations.
    await expect(
      carol.iqCaller.request(xml("iq", { type: "set", to: ROOM }, xml("query", { xmlns: "http://jabber.org/protocol/muc#admin" }, xml("item", { affiliation: "member", jid: "carol@example.test" })))),
    ).rejects.toMatchObject({ condition: "forbidden" });
  });

  it("a leaver gets its unavailable presence (110) and the others see it go", async () => {
    chain = createMucChain();
    const alice = await chain.connect("alice", "laptop");
    await join(alice, "alice");
    const carol = await chain.connect("carol");
    await join(carol, "carol");
    const gone = new Promise((resolve) => alice.on("stanza", (stanza) => stanza.attrs.type === "unavailable" && stanza.attrs.from === `${ROOM}/carol` && resolve(stanza)));
    await carol.send(xml("presence", { to: `${ROOM}/carol`, type: "unavailable" }));
    await gone;
    expect(Object.keys(chain.muc.room(ROOM)?.occupants ?? {})).toEqual(["alice"]);
  });
});

describe("M2: groupchat and private messages", () => {
  it("groupchat goes to every occupant from the sender's room JID; private messages to one; non-occupants are refused", async () => {
    chain = createMucChain({ maxHistory: 2 });
    const alice = await chain.connect("alice", "laptop");
    const aliceSees = groupchatsOf(alice);
    await join(alice, "alice");
    const carol = await chain.connect("carol");
    const carolSees = groupchatsOf(carol);
    await join(carol, "carol");
    for (const body of ["one", "two", "three"]) await carol.send(groupchat(body));
    await waitFor(() => aliceSees.length === 3 && carolSees.length === 3, 3000, "three groupchats each");
    expect(aliceSees.map((message) => [message.attrs.from, message.getChildText("body")])).toEqual([
      [`${ROOM}/carol`, "one"],
      [`${ROOM}/carol`, "two"],
      [`${ROOM}/carol`, "three"],
    ]);
    expect(chain.muc.room(ROOM)?.history.map((message) => message.getChildText("body"))).toEqual(["two", "three"]);

    const whisper = new Promise<ReturnType<typeof xml>>((resolve) => alice.on("stanza", (stanza) => stanza.attrs.type === "chat" && resolve(stanza)));
    await carol.send(xml("message", { to: `${ROOM}/alice`, type: "chat" }, xml("body", {}, "psst")));
    expect((await whisper).attrs.from).toBe(`${ROOM}/carol`);

    const dave = await chain.connect("dave");
    const refused = new Promise<ReturnType<typeof xml>>((resolve) => dave.on("stanza", (stanza) => stanza.attrs.type === "error" && resolve(stanza)));
    await dave.send(groupchat("let me in"));
    expect((await refused).getChild("error")?.getChild("not-acceptable")).toBeDefined();
  });

  it("M3: disco#info of a room names its type and features, the push feature included", async () => {
    chain = createMucChain();
    const alice = await chain.connect("alice", "laptop");
    await join(alice, "alice");
    const info = await alice.iqCaller.request(xml("iq", { type: "get", to: ROOM }, xml("query", { xmlns: "http://jabber.org/protocol/disco#info" })));
    const query = info.getChild("query");
    expect(query?.getChild("identity")?.attrs).toMatchObject({ category: "conference", type: "text" });
    expect(query?.getChildren("feature").map((feature) => feature.attrs.var)).toEqual(
      expect.arrayContaining(["http://jabber.org/protocol/muc", "muc_open", "urn:xmpp:push:0"]),
    );
    await expect(
      alice.iqCaller.request(xml("iq", { type: "get", to: `nowhere@${"conference.example.test"}` }, xml("query", { xmlns: "http://jabber.org/protocol/disco#info" }))),
    ).rejects.toMatchObject({ condition: "item-not-found" });
  });
});
