import { type Client, xml } from "@xmpp/client";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "../../helpers/chain.js";
import { createMucChain, join, type MucChain, ROOM, settled, type Stanza } from "./setup.js";

const NS_VERSION = "jabber:iq:version";

let chain: MucChain;
afterEach(async () => {
  await chain?.close();
});

/** The IQs a client gets, from now on. */
function iqsOf(xmpp: Client): Stanza[] {
  const seen: Stanza[] = [];
  xmpp.on("stanza", (stanza: Stanza) => {
    if (stanza.name === "iq") seen.push(stanza);
  });
  return seen;
}

/** Sends a request and resolves with its reply stanza, result or error (iqCaller rejects with the <error/> alone). */
function ask(xmpp: Client, request: Stanza): Promise<Stanza> {
  const id = String(request.attrs.id);
  return new Promise((resolve) => {
    const listener = (stanza: Stanza) => {
      if (stanza.name !== "iq" || stanza.attrs.id !== id || (stanza.attrs.type !== "result" && stanza.attrs.type !== "error")) return;
      xmpp.off("stanza", listener);
      resolve(stanza);
    };
    xmpp.on("stanza", listener);
    void xmpp.send(request);
  });
}

/** alice in the room from her laptop and then her tablet (one occupant, M7), carol from her phone. */
async function roomOfThree(options: Parameters<typeof createMucChain>[0] = {}) {
  chain = createMucChain(options);
  const laptop = await chain.connect("alice", "laptop");
  await join(laptop, "alice");
  const tablet = await chain.connect("alice", "tablet");
  await join(tablet, "alice");
  const carol = await chain.connect("carol", "phone");
  await join(carol, "carol");
  return { laptop, tablet, carol };
}

const versionQuery = () => xml("query", { xmlns: NS_VERSION });

describe("M10: IQs between occupants are relayed, as Prosody's handle_iq_to_occupant", () => {
  it("a request goes to the target's primary session from the sender's room JID under another id; the reply comes back with the sender's id, from the target's room JID", async () => {
    const { laptop, tablet, carol } = await roomOfThree();
    const laptopGets = iqsOf(laptop);
    const tabletGets = iqsOf(tablet);
    laptop.iqCallee.get(NS_VERSION, "query", () => xml("query", { xmlns: NS_VERSION }, xml("name", {}, "laptop client")));

    const reply = await carol.iqCaller.request(xml("iq", { type: "get", to: `${ROOM}/alice`, id: "carols-own-id" }, versionQuery()));
    expect(reply.attrs).toMatchObject({ type: "result", from: `${ROOM}/alice`, id: "carols-own-id" });
    expect(reply.getChild("query", NS_VERSION)?.getChildText("name")).toBe("laptop client");

    const relayed = laptopGets.find((iq) => iq.getChild("query", NS_VERSION));
    expect(relayed?.attrs).toMatchObject({ type: "get", from: `${ROOM}/carol`, to: "alice@example.test/laptop" });
    // The service's own id: the target never sees the sender's, nor its real JID.
    expect(relayed?.attrs.id).not.toBe("carols-own-id");
    await settled(carol, tablet);
    expect(tabletGets.filter((iq) => iq.getChild("query", NS_VERSION))).toEqual([]);
  });

  it("the target's error reply goes back to the sender, from the target's room JID", async () => {
    const { carol } = await roomOfThree();
    // alice's client has no handler for the query: @xmpp/client answers service-unavailable itself.
    const reply = await ask(carol, xml("iq", { type: "get", to: `${ROOM}/alice`, id: "no-handler" }, versionQuery()));
    expect(reply.attrs).toMatchObject({ type: "error", from: `${ROOM}/alice`, to: "carol@example.test/phone", id: "no-handler" });
    expect(reply.getChild("error")?.getChild("service-unavailable")).toBeDefined();
  });

  it("the reply goes to the one session that asked", async () => {
    const { laptop, tablet, carol } = await roomOfThree();
    carol.iqCallee.get(NS_VERSION, "query", () => versionQuery());
    const laptopGets = iqsOf(laptop);
    const reply = await tablet.iqCaller.request(xml("iq", { type: "get", to: `${ROOM}/carol`, id: "from-the-tablet" }, versionQuery()));
    expect(reply.attrs).toMatchObject({ from: `${ROOM}/carol`, to: "alice@example.test/tablet", id: "from-the-tablet" });
    await settled(carol, laptop);
    expect(laptopGets.filter((iq) => iq.attrs.from === `${ROOM}/carol`)).toEqual([]);
  });

  it("a non-occupant is refused not-acceptable, an unknown nick item-not-found, both cancel", async () => {
    const { carol } = await roomOfThree();
    const dave = await chain.connect("dave");
    await expect(dave.iqCaller.request(xml("iq", { type: "get", to: `${ROOM}/alice` }, versionQuery()))).rejects.toMatchObject({
      condition: "not-acceptable",
      type: "cancel",
    });
    await expect(carol.iqCaller.request(xml("iq", { type: "get", to: `${ROOM}/nobody` }, versionQuery()))).rejects.toMatchObject({
      condition: "item-not-found",
      type: "cancel",
    });
  });

  it("XEP-0410 self-ping: a ping to one's own nick is answered by the room, not relayed to the primary session", async () => {
    const { laptop, tablet } = await roomOfThree();
    const laptopGets = iqsOf(laptop);
    // From the tablet, so that a relayed ping would reach another client, the laptop.
    const reply = await tablet.iqCaller.request(xml("iq", { type: "get", to: `${ROOM}/alice` }, xml("ping", { xmlns: "urn:xmpp:ping" })));
    expect(reply.attrs).toMatchObject({ type: "result", from: `${ROOM}/alice`, to: "alice@example.test/tablet" });
    await settled(tablet, laptop);
    expect(laptopGets.filter((iq) => iq.getChild("ping"))).toEqual([]);
  });

  it("a vCard request goes to the target's account (bare JID), whose server answers it", async () => {
    const { laptop, carol } = await roomOfThree();
    const laptopGets = iqsOf(laptop);
    const reply = await ask(carol, xml("iq", { type: "get", to: `${ROOM}/alice`, id: "vcard" }, xml("vCard", { xmlns: "vcard-temp" })));
    // Whatever the server answers (our reference server has no vCards), it comes from the nick.
    expect(reply.attrs).toMatchObject({ from: `${ROOM}/alice`, id: "vcard" });
    await settled(carol, laptop);
    expect(laptopGets.filter((iq) => iq.getChild("vCard"))).toEqual([]);
  });

  it("only the session asked answers: another's reply with the relayed id is dropped", async () => {
    const { laptop, carol } = await roomOfThree();
    const dave = await chain.connect("dave");
    await join(dave, "dave");
    const laptopGets = iqsOf(laptop);
    let answer: (reply: Stanza) => void = () => {};
    laptop.iqCallee.get(NS_VERSION, "query", () => new Promise<Stanza>((resolve) => (answer = resolve)));
    const carolGets = iqsOf(carol);
    const reply = carol.iqCaller.request(xml("iq", { type: "get", to: `${ROOM}/alice`, id: "asked-alice" }, versionQuery()));
    await waitFor(() => laptopGets.some((iq) => iq.getChild("query", NS_VERSION)), 3000, "the relayed request");
    const relayedId = laptopGets.find((iq) => iq.getChild("query", NS_VERSION))?.attrs.id;
    await dave.send(xml("iq", { type: "result", to: `${ROOM}/carol`, id: relayedId }, xml("query", { xmlns: NS_VERSION }, xml("name", {}, "forged"))));
    await settled(dave, carol);
    expect(carolGets.filter((iq) => iq.attrs.id === "asked-alice")).toEqual([]);
    answer(xml("query", { xmlns: NS_VERSION }, xml("name", {}, "alice's")));
    expect((await reply).getChild("query")?.getChildText("name")).toBe("alice's");
  });

  it("at most maxRelayedIqs wait for their replies; one more is wait/resource-constraint, and a reply frees its place", async () => {
    const { laptop, carol } = await roomOfThree({ maxRelayedIqs: 1 });
    const answers: ((reply: Stanza) => void)[] = [];
    laptop.iqCallee.get(NS_VERSION, "query", () => new Promise<Stanza>((resolve) => answers.push(resolve)));
    const first = carol.iqCaller.request(xml("iq", { type: "get", to: `${ROOM}/alice` }, versionQuery()));
    await waitFor(() => answers.length === 1, 3000, "the first request at alice's");
    await expect(carol.iqCaller.request(xml("iq", { type: "get", to: `${ROOM}/alice` }, versionQuery()))).rejects.toMatchObject({
      condition: "resource-constraint",
      type: "wait",
    });
    answers[0]!(versionQuery());
    expect((await first).attrs.type).toBe("result");
    const third = carol.iqCaller.request(xml("iq", { type: "get", to: `${ROOM}/alice` }, versionQuery()));
    await waitFor(() => answers.length === 2, 3000, "the third request at alice's");
    answers[1]!(versionQuery());
    expect((await third).attrs.type).toBe("result");
  });
});
