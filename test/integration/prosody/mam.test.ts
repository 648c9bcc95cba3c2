/**
 * Seed 003 (Prosody's mod_cloud_notify README): "App servers are notified about offline
 * messages, messages stored by [mod_mam] or messages waiting in the smacks queue." Through real
 * @xmpp/client instances and PushClient against `preset: "prosody", mam: true`.
 */
import { type Client, xml } from "@xmpp/client";
import { afterEach, describe, expect, it } from "vitest";
import type { Element } from "../../../src/index.js";
import { afterRoundTrip, chat, deliveredAll, goOffline, nextEvent, record, waitFor } from "../../helpers/chain.js";
import { prosody, type ProsodySetup } from "./setup.js";

const NS_MAM = "urn:xmpp:mam:2";
const NS_RSM = "http://jabber.org/protocol/rsm";
let setup: ProsodySetup;
afterEach(() => setup?.close());

interface ArchiveAnswer {
  bodies: string[];
  ids: string[];
  fin: Element;
}

/** An XEP-0313 query from `xmpp` with these form fields and RSM set; the results are the messages before the IQ result. */
async function queryArchive(xmpp: Client, fields: Record<string, string> = {}, set: Record<string, string> = {}): Promise<ArchiveAnswer> {
  const queryid = `q${Math.random().toString(36).slice(2)}`;
  const results: Element[] = [];
  const listener = (stanza: Element): void => {
    const result = stanza.getChild("result", NS_MAM);
    if (stanza.is("message") && result?.attrs.queryid === queryid) results.push(result);
  };
  xmpp.on("stanza", listener);
  const form = xml(
    "x",
    { xmlns: "jabber:x:data", type: "submit" },
    xml("field", { var: "FORM_TYPE", type: "hidden" }, xml("value", {}, NS_MAM)),
    ...Object.entries(fields).map(([name, value]) => xml("field", { var: name }, xml("value", {}, value))),
  );
  const rsm = xml("set", { xmlns: NS_RSM }, ...Object.entries(set).map(([name, value]) => xml(name, {}, value)));
  const reply = (await xmpp.iqCaller.request(xml("iq", { type: "set" }, xml("query", { xmlns: NS_MAM, queryid }, form, rsm)))) as Element;
  xmpp.removeListener("stanza", listener);
  return {
    bodies: results.map((result) => result.getChild("forwarded")?.getChild("message")?.getChildText("body") ?? ""),
    ids: results.map((result) => String(result.attrs.id)),
    fin: reply.getChild("fin", NS_MAM) as Element,
  };
}

describe("Prosody with MAM (seed 003)", () => {
  it('PT2 003: "messages stored by [mod_mam]" push to the offline phone while the desktop is online, once', async () => {
    setup = prosody();
    const published = record(setup.server, "published");
    const phone = await setup.subscribed("bob", "phone", "phone-token");
    await goOffline(setup, phone.xmpp);
    const desktop = await setup.connect("bob", "desktop");
    await desktop.send(xml("presence"));
    const received: Element[] = [];
    desktop.on("stanza", (stanza: Element) => {
      if (stanza.is("message") && stanza.getChildText("body")) received.push(stanza);
    });
    const alice = await setup.connect("alice", "laptop");

    const delivered = nextEvent(setup.appServer, "delivered");
    await alice.send(chat("bob@example.test", "Lunch?"));
    const [delivery] = await delivered;
    expect(delivery).toMatchObject({ token: "phone-token", summary: { messageCount: 1, lastMessageBody: "New Message!" } });
    // The desktop has it, with the archive's id; nothing waits offline.
    await waitFor(() => received.length === 1, 3000, "the desktop's copy");
    const stanzaId = received[0]?.getChild("stanza-id", "urn:xmpp:sid:0");
    expect(stanzaId?.attrs.by).toBe("bob@example.test");
    expect(setup.server.offlineMessages("bob")).toEqual([]);
    // Sentinel: alice's round trip, answered after her message was handled and its publishes sent; then all of them delivered.
    await afterRoundTrip(alice);
    await deliveredAll(setup.appServer, () => published.length);
    expect(setup.appServer.deliveries).toHaveLength(1);

    // The phone comes back and reads what it missed from the archive, under the same id.
    const back = await setup.connect("bob", "phone");
    const answer = await queryArchive(back, { with: "alice@example.test" });
    expect(answer.bodies).toEqual(["Lunch?"]);
    expect(answer.ids).toEqual([stanzaId?.attrs.id]);
    expect(answer.fin.attrs.complete).toBe("true");
  });

  it("PT2 003: a registration whose own session is online gets no archive push (mod_cloud_notify: the session is still alive)", async () => {
    setup = prosody();
    const published = record(setup.server, "published");
    const phone = await setup.subscribed("bob", "phone", "phone-token");
    await phone.xmpp.send(xml("presence"));
    const alice = await setup.connect("alice", "laptop");
    const got = new Promise((resolve) => phone.xmpp.on("stanza", (stanza: Element) => stanza.getChildText("body") && resolve(stanza)));
    await alice.send(chat("bob@example.test", "seen live"));
    await got;
    // Sentinel: alice's round trip, answered after her message was handled and its publishes sent; then all of them delivered.
    await afterRoundTrip(alice);
    await deliveredAll(setup.appServer, () => published.length);
    expect(setup.appServer.deliveries).toEqual([]);
  });

  it("PT2 003: with no session at all the offline push is the only one: archive and offline storage push once", async () => {
    setup = prosody();
    const published = record(setup.server, "published");
    const phone = await setup.subscribed("bob", "phone", "phone-token");
    await goOffline(setup, phone.xmpp);
    const alice = await setup.connect("alice", "laptop");
    await alice.send(chat("bob@example.test", "while away"));
    await waitFor(() => setup.server.offlineMessages("bob").length === 1, 3000, "offline storage");
    // Sentinel: alice's round trip, answered after her message was handled and its publishes sent; then all of them delivered.
    await afterRoundTrip(alice);
    await deliveredAll(setup.appServer, () => published.length);
    expect(setup.appServer.deliveries).toHaveLength(1);
  });

  it("PT1: archives both directions, pages with RSM (max/after/before) and filters with `with`", async () => {
    setup = prosody();
    const bob = await setup.connect("bob", "desktop");
    await bob.send(xml("presence"));
    const alice = await setup.connect("alice", "laptop");
    for (const body of ["one", "two", "three"]) await alice.send(chat("bob@example.test", body));
    await bob.send(chat("alice@example.test", "four"));
    await bob.send(xml("message", { to: "alice@example.test", type: "headline" }, xml("body", {}, "not archived")));
    // alice's round trip is answered after her messages were routed, and archived; bob's own precede his queries on his stream.
    await afterRoundTrip(alice);

    const all = await queryArchive(bob);
    expect(all.bodies).toEqual(["one", "two", "three", "four"]);
    const first = await queryArchive(bob, {}, { max: "2" });
    expect(first.bodies).toEqual(["one", "two"]);
    expect(first.fin.attrs.complete).toBeUndefined();
    const lastOfFirst = first.fin.getChild("set", NS_RSM)?.getChildText("last") ?? "";
    expect(lastOfFirst).toBe(first.ids[1]);
    const next = await queryArchive(bob, {}, { max: "2", after: lastOfFirst });
    expect(next.bodies).toEqual(["three", "four"]);
    expect(next.fin.attrs.complete).toBe("true");
    const lastPage = await queryArchive(bob, {}, { max: "1", before: "" });
    expect(lastPage.bodies).toEqual(["four"]);
    const before = await queryArchive(bob, {}, { max: "5", before: next.ids[0] ?? "" });
    expect(before.bodies).toEqual(["one", "two"]);
    expect((await queryArchive(bob, { with: "carol@example.test" })).bodies).toEqual([]);
    expect((await queryArchive(bob, { start: new Date(Date.now() + 60_000).toISOString() })).bodies).toEqual([]);
    await expect(queryArchive(bob, {}, { after: "no-such-id" })).rejects.toMatchObject({ condition: "item-not-found" });
  });

  it("PT1: keeps at most archiveItemLimit messages per account, dropping the oldest", async () => {
    setup = prosody({ mam: { archiveItemLimit: 2 } });
    const bob = await setup.connect("bob", "desktop");
    await bob.send(xml("presence"));
    const alice = await setup.connect("alice", "laptop");
    for (const body of ["one", "two", "three"]) await alice.send(chat("bob@example.test", body));
    // alice's round trip is answered after her messages were routed, and archived; bob's own precede his queries on his stream.
    await afterRoundTrip(alice);
    const answer = await queryArchive(bob);
    expect(answer.bodies).toEqual(["two", "three"]);
    expect(answer.fin.getChild("set", NS_RSM)?.getChildText("count")).toBe("2");
  });

  it("PT1: advertises urn:xmpp:mam:2 on the account's disco#info, and only with mam on", async () => {
    setup = prosody();
    const bob = await setup.connect("bob", "desktop");
    const features = async (xmpp: Client) =>
      ((await xmpp.iqCaller.request(xml("iq", { type: "get" }, xml("query", { xmlns: "http://jabber.org/protocol/disco#info" })))) as Element)
        .getChild("query")
        ?.getChildren("feature")
        .map((feature) => feature.attrs.var);
    expect(await features(bob)).toEqual(expect.arrayContaining([NS_MAM, "urn:xmpp:sid:0"]));
    await setup.close();
    setup = prosody({ mam: false });
    expect(await features(await setup.connect("bob", "desktop"))).not.toContain(NS_MAM);
  });
});
