import { xml } from "@xmpp/client";
import { beforeEach, expect, it } from "vitest";
import { NS, PushClient } from "../../src/index.js";
import { PUSH_JID, SCENARIOS } from "./shared.js";
import { chat, deliveredTo, enabledDevice, goOffline, jidOf, prepare, resetAccounts } from "./support/flows.js";
import { note, writePublishFixture } from "./support/observe.js";
import { publishDifferences, summaryFields } from "./support/publish-shape.js";
import { forEachTarget } from "./support/suite.js";
import type { Target } from "./support/target.js";

const BOB = jidOf("bob");

forEachTarget((name, targetOf) => {
  let target: Target;
  beforeEach(() => {
    target = targetOf();
  });

  it(SCENARIOS.discovery, async () => {
    const bob = await target.connect("bob", "phone");
    const push = new PushClient(bob, { timeout: 10_000, reenable: false });
    expect(await push.isSupported()).toBe(true);
    const info = await push.discover(PUSH_JID);
    expect(info.identities).toContainEqual(expect.objectContaining({ category: "pubsub", type: "push" }));
    expect(info.dialect).toBe("mod-push");
  });

  it(SCENARIOS.register, async () => {
    await resetAccounts(target);
    target.clearRecords();
    const bob = await enabledDevice(target, "bob", "phone");
    expect(bob.registration).toMatchObject({ jid: PUSH_JID, provider: "fcm", deviceId: "phone" });
    expect(bob.registration.node).toMatch(/^[0-9a-f]{32}$/);
    expect(bob.registration.secret).toMatch(/^[0-9a-f]{32}$/);
    // The server routed the command with bob's full JID: the app server files it under his account.
    const stored = target.appServer.registrations(BOB);
    expect(stored.map((registration) => registration.node)).toContain(bob.registration.node);
  });

  it(SCENARIOS.enable, async () => {
    const { alice } = await prepare(target);
    const bob = await enabledDevice(target, "bob", "phone");
    await goOffline(bob);
    await alice.send(chat(BOB, "Hello Bob"));
    await deliveredTo(target, bob.registration.node, 1);

    const [publish] = target.tap.publishesTo(bob.registration.node);
    const options = publish?.getChild("pubsub", NS.pubsub)?.getChild("publish-options")?.getChild("x", NS.dataForms);
    expect(options?.attrs.type).toBe("submit");
    const values = Object.fromEntries(options?.getChildren("field").map((field) => [field.attrs.var, field.getChildText("value")]) ?? []);
    expect(values).toEqual({ FORM_TYPE: "http://jabber.org/protocol/pubsub#publish-options", secret: bob.registration.secret });
  });

  it(SCENARIOS.offline, async () => {
    const { alice, sentinel } = await prepare(target);
    const bob = await enabledDevice(target, "bob", "phone");
    await goOffline(bob);
    const sentAt = Date.now();
    await alice.send(chat(BOB, "Hello Bob"));
    const [delivery] = await deliveredTo(target, bob.registration.node, 1);
    const latency = Date.now() - sentAt;
    await sentinel.pass(alice);

    const publishes = target.tap.publishesTo(bob.registration.node);
    expect(publishes).toHaveLength(1);
    expect(delivery).toMatchObject({ provider: "fcm", token: "bob-phone-token", node: bob.registration.node, owner: BOB });
    const publish = publishes[0]!;
    expect([BOB, "localhost"]).toContain(publish.attrs.from);
    if (delivery?.summary.messageCount !== undefined) expect(delivery.summary.messageCount).toBe(1);

    for (const difference of publishDifferences(publish, BOB, "Hello Bob")) note(name, SCENARIOS.offline, "differs", difference);
    note(name, SCENARIOS.offline, "seen", `summary ${JSON.stringify(delivery?.summary)}; send → delivery ${latency} ms`);
    if (name !== "reference") writePublishFixture(`${name}-publish.xml`, publish, `${name}: publish for one offline chat message with a body`);
  });

  it(SCENARIOS.second, async () => {
    const { alice, sentinel } = await prepare(target);
    const bob = await enabledDevice(target, "bob", "phone");
    await goOffline(bob);
    await alice.send(chat(BOB, "first"));
    await deliveredTo(target, bob.registration.node, 1);
    await alice.send(chat(BOB, "second"));
    const deliveries = await deliveredTo(target, bob.registration.node, 2);
    await sentinel.pass(alice);

    const publishes = target.tap.publishesTo(bob.registration.node);
    expect(publishes).toHaveLength(2);
    const counts = deliveries.map((delivery) => delivery.summary.messageCount);
    if (counts[0] !== undefined && counts[1] !== undefined) expect(counts[1]).toBeGreaterThanOrEqual(counts[0]);
    if (counts[1] === undefined) note(name, SCENARIOS.second, "differs", "no message-count");
    else if (counts[1] !== 2) note(name, SCENARIOS.second, "differs", `message-count ${counts[1]} for the second pending message`);
    note(name, SCENARIOS.second, "seen", `message-counts ${JSON.stringify(counts)}`);
    if (name !== "reference") writePublishFixture(`${name}-second-publish.xml`, publishes[1]!, `${name}: publish for a second offline chat message`);
  });

  it(SCENARIOS.chatState, async () => {
    const { alice, sentinel } = await prepare(target);
    const bob = await enabledDevice(target, "bob", "phone");
    await goOffline(bob);
    await alice.send(chat(BOB, undefined, xml("composing", { xmlns: "http://jabber.org/protocol/chatstates" })));
    await sentinel.pass(alice);

    const publishes = target.tap.publishesTo(bob.registration.node);
    expect(publishes.length).toBeLessThanOrEqual(1);
    if (publishes.length === 0) {
      note(name, SCENARIOS.chatState, "seen", "no publish");
      return;
    }
    // A push for a message without a body must not claim one.
    const body = summaryFields(publishes[0]!)?.get("last-message-body")?.[0] ?? "";
    expect(body).toBe("");
    note(name, SCENARIOS.chatState, "differs", "publishes for a body-less chat state (no body in the summary)");
    if (name !== "reference") writePublishFixture(`${name}-chat-state-publish.xml`, publishes[0]!, `${name}: publish for an offline body-less chat state (composing)`);
  });
});
