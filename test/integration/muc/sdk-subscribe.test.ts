import { type Client, xml } from "@xmpp/client";
import { afterEach, describe, expect, it } from "vitest";
import type { PushClient } from "../../../src/index.js";
import { buildDisable, PushError } from "../../../src/protocol/index.js";
import { createMucService, type AppServerDialectName } from "../../../src/sim/index.js";
import { APP_SERVER, createChain, goOffline, nextEvent, record } from "../../helpers/chain.js";
import { rejection } from "../../helpers/push-error.js";
import { allPushedAfter, groupchat, groupchatsOf, join, MUC, type MucChain, ROOM, setMembers, waitForCount } from "./setup.js";

let chain: MucChain;
afterEach(async () => {
  await chain?.close();
});

const BOB = "bob@example.test";
const OTHER_ROOM = `other@${MUC}`;

/** The MUC chain with the app server speaking `dialects` (default: mod-push) and trusting the MUC service. */
function mucChain(dialects?: AppServerDialectName[]): MucChain {
  const base = createChain({
    server: { users: { alice: "pw", bob: "pw", carol: "pw", dave: "pw" } },
    appServer: { mucPublishers: [MUC], ...(dialects ? { dialects } : {}) },
  });
  const muc = createMucService({ jid: MUC });
  base.server.attach(muc);
  chain = Object.assign(base, { muc, published: record(base.server, "published") });
  return chain;
}

/** alice owns the room and writes; carol is joined; bob (a member) is online in the room with a PushClient. */
async function roomWithBob(dialects?: AppServerDialectName[]) {
  mucChain(dialects);
  const alice = await chain.connect("alice", "laptop");
  await join(alice, "alice");
  await setMembers(alice, { [BOB]: "bob", "carol@example.test": "carol" });
  const carol = await chain.connect("carol", "laptop");
  const carolSees = groupchatsOf(carol);
  await join(carol, "carol");
  const bob = await chain.device("bob");
  await join(bob.xmpp, "bob");
  return { alice, carolSees, bob };
}

/**
 * bob leaves the room, then goes offline. The leave is explicit: the reference server sends no
 * unavailable presence to the rooms a closed session was in (RFC 6121 §4.6.2 directed presence).
 */
async function bobLeaves(bob: { xmpp: Client }): Promise<void> {
  const left = new Promise<void>((resolve) => {
    const listener = (stanza: ReturnType<typeof xml>) => {
      if (stanza.name !== "presence" || stanza.attrs.from !== `${ROOM}/bob` || stanza.attrs.type !== "unavailable") return;
      bob.xmpp.off("stanza", listener);
      resolve();
    };
    bob.xmpp.on("stanza", listener);
  });
  await bob.xmpp.send(xml("presence", { to: `${ROOM}/bob`, type: "unavailable" }));
  await left;
  await goOffline(chain, bob.xmpp);
}

/** The IQs a client sends from now on. */
function sentIqs(xmpp: Client): ReturnType<typeof xml>[] {
  const sent: ReturnType<typeof xml>[] = [];
  xmpp.on("send", (element: ReturnType<typeof xml>) => {
    if (element.name === "iq") sent.push(element);
  });
  return sent;
}

const device = { appServer: APP_SERVER, provider: "fcm", token: "bob-fcm-token", deviceId: "phone-1" } as const;

describe.each([
  ["p2", ["p2"] as AppServerDialectName[]],
  ["mod-push (mucPublishers)", undefined],
])("subscribe({ muc }) with %s", (_name, dialects) => {
  it("registers the room's own channel, enables it at the room, and the room pushes to that node once bob has left (C18, C19, P2-10 with p2)", async () => {
    const { alice, carolSees, bob } = await roomWithBob(dialects);
    const account = await bob.push.subscribe(device);
    const enabled: unknown[] = [];
    bob.xmpp.on("send", (element: ReturnType<typeof xml>) => {
      if (element.name === "iq" && element.getChild("enable", "urn:xmpp:push:0")) enabled.push(element.attrs.to);
    });
    const room = await bob.push.subscribe({ ...device, muc: ROOM });

    expect(room).toMatchObject({ muc: ROOM, deviceId: "phone-1", jid: APP_SERVER, publishOptions: { secret: room.secret } });
    expect(room.node).not.toBe(account.node);
    expect(room.id).not.toBe(account.id);
    expect(enabled).toEqual([ROOM]);
    expect((await bob.push.registrations()).map((registration) => registration.muc)).toEqual(expect.arrayContaining([undefined, ROOM]));
    // At the app server: the room's channel is a registration of its own.
    const atAppServer = chain.appServer.registrations(BOB);
    expect(atAppServer).toHaveLength(2);
    const channel = atAppServer.find((registration) => registration.node === room.node)!;
    if (dialects) expect(channel.fields.muc).toEqual([ROOM]);
    else expect(channel.deviceId).toBe(`phone-1#${ROOM}`);

    await bobLeaves(bob);
    const delivered = nextEvent(chain.appServer, "delivered");
    await alice.send(groupchat("Release tonight"));
    const [delivery] = await delivered;
    await waitForCount(carolSees, 1, "carol's copy");
    await allPushedAfter(chain, alice);

    expect(delivery).toMatchObject({ token: "bob-fcm-token", node: room.node, owner: BOB });
    expect(chain.appServer.deliveries).toHaveLength(1);
    expect(chain.muc.pushes.map((push) => [push.path, push.member, push.node, push.publish.attrs.from])).toEqual([["room", BOB, room.node, ROOM]]);
  });

  it("subscribing the same room again reuses the channel: one registration at the app server, the room and the store (C20)", async () => {
    const { alice, carolSees, bob } = await roomWithBob(dialects);
    const first = await bob.push.subscribe({ ...device, muc: ROOM });
    const again = await bob.push.subscribe({ ...device, muc: ROOM.toUpperCase() });
    // A second device id is not given: the stored one is reused, so the same room is the same channel.
    const third = await bob.push.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "bob-fcm-token", muc: ROOM });

    expect([again.id, third.id]).toEqual([first.id, first.id]);
    expect([again.node, third.node]).toEqual([first.node, first.node]);
    expect(await bob.push.registrations()).toHaveLength(1);
    expect(chain.appServer.registrations(BOB)).toHaveLength(1);

    await bobLeaves(bob);
    const delivered = nextEvent(chain.appServer, "delivered");
    await alice.send(groupchat("once"));
    await delivered;
    await waitForCount(carolSees, 1, "carol's copy");
    await allPushedAfter(chain, alice);
    expect(chain.muc.pushes).toHaveLength(1);
    expect(chain.appServer.deliveries).toHaveLength(1);
  });

  it("after a fresh session the room's channel is enabled at the room again (C15, C18)", async () => {
    const { alice, bob } = await roomWithBob(dialects);
    const room = await bob.push.subscribe({ ...device, muc: ROOM });
    // The room forgets bob's registration (as a room does on publish errors); a new session must bring it back.
    await bob.xmpp.iqCaller.request(xml("iq", { type: "set", to: ROOM }, buildDisable({ jid: room.jid, node: room.node })));
    await bobLeaves(bob);
    const reenabled = nextEvent(bob.push, "enabled");
    await bob.xmpp.start();
    expect((await reenabled)[0]).toMatchObject({ muc: ROOM, node: room.node });
    await goOffline(chain, bob.xmpp);

    const delivered = nextEvent(chain.appServer, "delivered");
    await alice.send(groupchat("back"));
    expect((await delivered)[0]).toMatchObject({ node: room.node, token: "bob-fcm-token" });
  });

  it("a new token for the device renews its room channels too (C20)", async () => {
    const { alice, bob } = await roomWithBob(dialects);
    await bob.push.subscribe(device);
    const room = await bob.push.subscribe({ ...device, muc: ROOM });
    await bob.push.subscribe({ ...device, token: "bob-fcm-token-2" });

    const stored = await bob.push.registrations();
    expect(stored.map((registration) => registration.token)).toEqual(["bob-fcm-token-2", "bob-fcm-token-2"]);
    expect(stored.find((registration) => registration.muc === ROOM)?.node).toBe(room.node);
    expect(chain.appServer.registrations(BOB).map((registration) => registration.token)).toEqual(["bob-fcm-token-2", "bob-fcm-token-2"]);

    await bobLeaves(bob);
    const delivered = nextEvent(chain.appServer, "delivered");
    await alice.send(groupchat("new phone token"));
    expect((await delivered)[0]).toMatchObject({ node: room.node, token: "bob-fcm-token-2" });
  });

  it("unsubscribe({ muc }) disables at the room and unregisters the channel only; the account's registration stays (C21)", async () => {
    const { alice, carolSees, bob } = await roomWithBob(dialects);
    const account = await bob.push.subscribe(device);
    const room = await bob.push.subscribe({ ...device, muc: ROOM });
    const disabledAt: unknown[] = [];
    bob.xmpp.on("send", (element: ReturnType<typeof xml>) => {
      if (element.name === "iq" && element.getChild("disable", "urn:xmpp:push:0")) disabledAt.push(element.attrs.to);
    });

    const report = await bob.push.unsubscribe({ muc: ROOM });
    expect(report.errors).toEqual([]);
    expect(report.removed.map((registration) => registration.id)).toEqual([room.id]);
    expect(disabledAt).toEqual([ROOM]);
    expect((await bob.push.registrations()).map((registration) => registration.id)).toEqual([account.id]);
    expect(chain.appServer.registrations(BOB).map((registration) => registration.node)).toEqual([account.node]);

    // The room has no registration of bob's left: nothing is published for him.
    await bobLeaves(bob);
    await alice.send(groupchat("anyone?"));
    await waitForCount(carolSees, 1, "carol's copy");
    await allPushedAfter(chain, alice);
    expect(chain.muc.pushes).toEqual([]);
    expect(chain.appServer.deliveries).toEqual([]);
  });

  it("a plain unsubscribe() removes the room channels as well as the account's registration (C21)", async () => {
    const { alice, carolSees, bob } = await roomWithBob(dialects);
    await bob.push.subscribe(device);
    await bob.push.subscribe({ ...device, muc: ROOM });

    const report = await bob.push.unsubscribe();
    expect(report.errors).toEqual([]);
    expect(report.removed).toHaveLength(2);
    expect(await bob.push.registrations()).toEqual([]);
    expect(chain.appServer.registrations(BOB)).toEqual([]);

    await bobLeaves(bob);
    await alice.send(groupchat("gone?"));
    await waitForCount(carolSees, 1, "carol's copy");
    await allPushedAfter(chain, alice);
    expect(chain.muc.pushes).toEqual([]);
  });

  it("a room that refuses the enable (bob is no member) is its forbidden as a PushError, and leaves nothing behind (C18)", async () => {
    const { alice, bob } = await roomWithBob(dialects);
    await join(alice, "alice", OTHER_ROOM);

    const refused = await rejection(bob.push.subscribe({ ...device, muc: OTHER_ROOM }));
    expect(refused).toBeInstanceOf(PushError);
    expect(refused.condition).toBe("forbidden");
    expect(await bob.push.registrations()).toEqual([]);
    expect(chain.appServer.registrations(BOB)).toEqual([]);
  });
});

describe("subscribe({ muc }): what the SDK refuses (C18)", () => {
  it("a full JID, a malformed one or a service's JID is bad-request, and nothing is sent", async () => {
    mucChain(["p2"]);
    const bob = await chain.device("bob");
    const sent = sentIqs(bob.xmpp);
    for (const muc of [`${ROOM}/bob`, "team@@conference", "", MUC]) {
      const refused = await rejection(bob.push.subscribe({ ...device, muc }));
      expect(refused, muc).toBeInstanceOf(PushError);
      expect(refused.condition, muc).toBe("bad-request");
      expect((await rejection(bob.push.register({ ...device, muc }))).condition, muc).toBe("bad-request");
    }
    expect((await rejection(bob.push.unsubscribe({ muc: `${ROOM}/bob` }))).condition).toBe("bad-request");
    expect(sent).toEqual([]);
    expect(chain.appServer.registrations()).toEqual([]);
  });

  it.each([["v1"], ["tigase"]] as [AppServerDialectName][])("the %s dialect has no room channels: not-supported, nothing registered (C19)", async (dialect) => {
    mucChain([dialect]);
    const alice = await chain.connect("alice", "laptop");
    await join(alice, "alice");
    await setMembers(alice, { [BOB]: "bob" });
    const bob = await chain.device("bob");
    const sent = sentIqs(bob.xmpp);

    const refused = await rejection(bob.push.subscribe({ ...device, dialect, muc: ROOM }));
    expect(refused).toBeInstanceOf(PushError);
    expect(refused.condition).toBe("not-supported");
    expect(sent).toEqual([]);
    expect(chain.appServer.registrations()).toEqual([]);
    expect(await bob.push.registrations()).toEqual([]);
  });

  it("mongooseim has no room channels either (C19)", async () => {
    mucChain();
    const bob: { push: PushClient } = await chain.device("bob");
    const refused = await rejection(bob.push.register({ ...device, dialect: "mongooseim", muc: ROOM }));
    expect(refused.condition).toBe("not-supported");
  });
});
