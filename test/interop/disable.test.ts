import { type Client, xml } from "@xmpp/client";
import { beforeEach, expect, it } from "vitest";
import { NS } from "../../src/index.js";
import type { RejectedPublish } from "../../src/sim/index.js";
import { DOMAIN, PUSH_JID, SCENARIOS } from "./shared.js";
import { chat, deliveredTo, deliveriesTo, enabledDevice, goOffline, jidOf, prepare, type Sentinel } from "./support/flows.js";
import { note } from "./support/observe.js";
import { forEachTarget } from "./support/suite.js";
import type { Target } from "./support/target.js";

const BOB = jidOf("bob");

/** Sends `count` messages to bob, each time waiting until the server has handled the app server's answer. */
async function sendAndSettle(target: Target, alice: Client, sentinel: Sentinel, count: number): Promise<void> {
  for (let message = 1; message <= count; message += 1) {
    await alice.send(chat(BOB, `message ${message}`));
    await sentinel.pass(alice);
    await target.tap.flush(DOMAIN);
  }
}

forEachTarget((name, targetOf) => {
  let target: Target;
  let rejections: RejectedPublish[];
  beforeEach(() => {
    target = targetOf();
    rejections = [];
    const listener = (rejected: RejectedPublish): number => rejections.push(rejected);
    target.appServer.on("rejected", listener);
    return () => void target.appServer.off("rejected", listener);
  });

  it(SCENARIOS.disableOne, async () => {
    const { alice, sentinel } = await prepare(target);
    const phone = await enabledDevice(target, "bob", "phone");
    const tablet = await enabledDevice(target, "bob", "tablet");
    await phone.push.disable({ jid: PUSH_JID, node: phone.registration.node });
    await goOffline(phone);
    await goOffline(tablet);
    await alice.send(chat(BOB, "for the tablet only"));
    await deliveredTo(target, tablet.registration.node, 1);
    await sentinel.pass(alice);

    expect(target.tap.publishesTo(phone.registration.node)).toHaveLength(0);
    expect(target.tap.publishesTo(tablet.registration.node)).toHaveLength(1);
  });

  it(SCENARIOS.disableAll, async () => {
    const { alice, sentinel } = await prepare(target);
    const phone = await enabledDevice(target, "bob", "phone");
    const tablet = await enabledDevice(target, "bob", "tablet");
    // Without a node: every registration of bob's at this push service, including the tablet's.
    await phone.push.disable({ jid: PUSH_JID });
    const again = await phone.xmpp.iqCaller.request(xml("iq", { type: "set" }, xml("disable", { xmlns: NS.push, jid: PUSH_JID }))).then(
      () => "an empty result",
      (error: { condition?: string }) => `'${String(error.condition)}'`,
    );
    note(name, SCENARIOS.disableAll, "seen", `a disable with nothing left to remove is answered with ${again}`);
    await goOffline(phone);
    await goOffline(tablet);
    await alice.send(chat(BOB, "nobody is told"));
    await sentinel.pass(alice);

    expect(target.tap.publishesTo(phone.registration.node)).toHaveLength(0);
    expect(target.tap.publishesTo(tablet.registration.node)).toHaveLength(0);
  });

  it(SCENARIOS.publishError, async () => {
    const { alice, sentinel } = await prepare(target);
    const bob = await enabledDevice(target, "bob", "phone", { token: "revoked-token" });
    await goOffline(bob);
    // The device is gone (as APNS/FCM report it): the app server answers item-not-found (cancel).
    target.appServer.failToken("revoked-token");
    const node = bob.registration.node;
    await sendAndSettle(target, alice, sentinel, target.maxPublishErrors);
    // Not sooner: each of those messages was published; and the server says it dropped the registration.
    expect(target.tap.publishesTo(node)).toHaveLength(target.maxPublishErrors);
    await target.registrationDropped("bob", node);
    await alice.send(chat(BOB, "after the cut-off"));
    await alice.send(chat(BOB, "and another"));
    await sentinel.pass(alice);

    expect(deliveriesTo(target, node)).toHaveLength(0);
    expect(target.tap.publishesTo(node)).toHaveLength(target.maxPublishErrors);
    expect(rejections.filter((rejected) => rejected.node === node).map((rejected) => rejected.condition)).toEqual(
      Array.from({ length: target.maxPublishErrors }, () => "item-not-found"),
    );
    if (target.maxPublishErrors > 1) {
      note(name, SCENARIOS.publishError, "differs", `drops the registration only after push_max_errors (${target.maxPublishErrors} here, default 16) errors in a row`);
    }
  });

  it(SCENARIOS.wrongSecret, async () => {
    const { alice, sentinel } = await prepare(target);
    const bob = await enabledDevice(target, "bob", "phone", { secret: "not-the-secret" });
    await goOffline(bob);
    const node = bob.registration.node;
    await sendAndSettle(target, alice, sentinel, target.maxPublishErrors);

    expect(deliveriesTo(target, node)).toHaveLength(0);
    const refused = rejections.filter((rejected) => rejected.node === node);
    expect(refused.map((rejected) => rejected.condition)).toEqual(Array.from({ length: target.maxPublishErrors }, () => "not-authorized"));
    const dropped = await target.registrationDropped("bob", node, 3_000).then(
      () => true,
      () => false,
    );
    note(name, SCENARIOS.wrongSecret, "seen", `not-authorized (type auth) ${dropped ? "counts like a cancel error: registration dropped" : "does not drop the registration"} after ${refused.length} error(s)`);
  });
});
