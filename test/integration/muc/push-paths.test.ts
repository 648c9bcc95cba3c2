import { xml } from "@xmpp/client";
import { afterEach, describe, expect, it } from "vitest";
import { buildEnable } from "../../../src/protocol/index.js";
import type { MucServiceOptions } from "../../../src/sim/index.js";
import { APP_SERVER, goOffline, nextEvent } from "../../helpers/chain.js";
import { allPushedAfter, createMucChain, groupchat, groupchatsOf, join, MUC, type MucChain, openRoom, ROOM, waitForCount } from "./setup.js";

let chain: MucChain;
afterEach(async () => {
  await chain?.close();
});

type Way = "account" | "room" | "domain";

/**
 * alice owns the room and writes; carol is joined (online); bob is offline with push, enabled
 * `way`; dave is offline without push. All three are members with reserved nicks.
 */
async function room(way: Way, options: Omit<MucServiceOptions, "jid"> = {}) {
  chain = createMucChain(options);
  const { alice, carol, carolSees } = await openRoom(chain);

  const bob = await chain.device("bob");
  const device = { appServer: APP_SERVER, provider: "fcm", token: "bob-fcm-token" };
  if (way === "account") {
    await bob.push.subscribe(device);
  } else {
    const registration = await bob.push.register(device);
    const at = way === "room" ? ROOM : MUC;
    const enable = buildEnable({ jid: registration.jid, node: registration.node, publishOptions: registration.publishOptions });
    await bob.xmpp.iqCaller.request(xml("iq", { type: "set", to: at }, enable));
  }
  await goOffline(chain, bob.xmpp);
  const dave = await chain.connect("dave");
  await goOffline(chain, dave);
  return { alice, carol, carolSees, bob };
}

describe("M4: offline delivery to members (mod_muc_offline_delivery → mod_cloud_notify message/bare/groupchat)", () => {
  it("pushes once to the offline member with push, none to the joined or the one without push", async () => {
    const { alice, carolSees } = await room("account", { offlineDelivery: true });
    const offlineCopies: [string, ReturnType<typeof xml>][] = [];
    chain.muc.on("offline-delivery", (member, copy) => offlineCopies.push([member, copy]));
    const delivered = nextEvent(chain.appServer, "delivered");
    await alice.send(groupchat("Standup in 5"));
    const [delivery] = await delivered;
    await waitForCount(carolSees, 1, "carol's copy");
    await allPushedAfter(chain, alice);

    expect(delivery).toMatchObject({ provider: "fcm", token: "bob-fcm-token", owner: "bob@example.test" });
    expect(chain.appServer.deliveries).toHaveLength(1);
    expect(carolSees[0]?.attrs.from).toBe(`${ROOM}/alice`);
    // bob and dave are absent; what their server gets names the room, the sender's nick and the body (the mention filter's input).
    expect(offlineCopies.map(([member]) => member).sort()).toEqual(["bob@example.test", "dave@example.test"]);
    const [, copy] = offlineCopies[0]!;
    expect(copy.attrs).toMatchObject({ type: "groupchat", from: `${ROOM}/alice` });
    expect(copy.getChildText("body")).toBe("Standup in 5");
  });

  it("pushes nothing for a member who is joined, nor for the sender's own message", async () => {
    const { alice } = await room("account", { offlineDelivery: true });
    const desktop = await chain.connect("bob", "desktop");
    const desktopSees = groupchatsOf(desktop);
    await join(desktop, "bob");
    await alice.send(groupchat("bob is here"));
    await desktop.send(groupchat("I am"));
    await waitForCount(desktopSees, 2, "both messages at bob's desktop");
    await allPushedAfter(chain, alice);

    expect(chain.appServer.deliveries).toEqual([]);
  });

  it("pushes nothing without offlineDelivery (Prosody's default off)", async () => {
    const { alice, carolSees } = await room("account");
    await alice.send(groupchat("Anyone?"));
    await waitForCount(carolSees, 1, "carol's copy");
    await allPushedAfter(chain, alice);
    expect(chain.appServer.deliveries).toEqual([]);
  });
});

describe("M5: XEP-0357 enabled on the room", () => {
  it("the room publishes from its JID to the absent member's registration, once, and to no one else", async () => {
    const { alice, carolSees } = await room("room");
    const delivered = nextEvent(chain.appServer, "delivered");
    await alice.send(groupchat("Release tonight"));
    const [delivery] = await delivered;
    await waitForCount(carolSees, 1, "carol's copy");
    await allPushedAfter(chain, alice);

    expect(delivery).toMatchObject({ token: "bob-fcm-token", owner: "bob@example.test" });
    expect(chain.appServer.deliveries).toHaveLength(1);
    expect(chain.muc.pushes.map((push) => [push.path, push.member, push.publish.attrs.from])).toEqual([["room", "bob@example.test", ROOM]]);
  });

  it("stops while the member is joined, and never pushes the sender's own message", async () => {
    const { alice, carolSees } = await room("room");
    const desktop = await chain.connect("bob", "desktop");
    const desktopSees = groupchatsOf(desktop);
    await join(desktop, "bob");
    await alice.send(groupchat("you're here"));
    await desktop.send(groupchat("yes"));
    await waitForCount(desktopSees, 2, "both messages at bob's desktop");
    await waitForCount(carolSees, 2, "both at carol's");
    await allPushedAfter(chain, alice);
    expect(chain.muc.pushes).toEqual([]);
    expect(chain.appServer.deliveries).toEqual([]);
  });

  it("refuses an enable from a user who is not affiliated (forbidden)", async () => {
    chain = createMucChain();
    const alice = await chain.connect("alice", "laptop");
    await join(alice, "alice");
    const dave = await chain.connect("dave");
    const enable = buildEnable({ jid: APP_SERVER, node: "n1" });
    await expect(dave.iqCaller.request(xml("iq", { type: "set", to: ROOM }, enable))).rejects.toMatchObject({ condition: "forbidden" });
  });
});

describe("M6: enable at the MUC service's domain (Converse.js enable_muc_push → mod_muc_cloud_notify)", () => {
  const mention = (nick: string, body: string) => groupchat(body, [xml("reference", { xmlns: "urn:xmpp:reference:0", type: "mention", begin: body.indexOf(nick), end: body.indexOf(nick) + nick.length })]);

  it("pushes from the domain for a mention of the absent member's reserved nick only", async () => {
    const { alice, carolSees } = await room("domain");
    await alice.send(groupchat("no mention here"));
    await alice.send(mention("carol", "hi carol")); // carol is joined
    const delivered = nextEvent(chain.appServer, "delivered");
    await alice.send(mention("bob", "ping bob, please"));
    const [delivery] = await delivered;
    await waitForCount(carolSees, 3, "carol's copies");
    await allPushedAfter(chain, alice);

    expect(delivery).toMatchObject({ token: "bob-fcm-token", owner: "bob@example.test" });
    expect(chain.appServer.deliveries).toHaveLength(1);
    expect(chain.muc.pushes.map((push) => [push.path, push.member, push.publish.attrs.from])).toEqual([["domain", "bob@example.test", MUC]]);
  });
});
