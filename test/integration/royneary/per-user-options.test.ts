import { xml } from "@xmpp/client";
import { afterEach, describe, expect, it } from "vitest";
import { type Element, NS } from "../../../src/protocol/index.js";
import { APP_SERVER, chat, type Chain, createChain, goOffline, nextEvent } from "../../helpers/chain.js";
import { enable, publishOptionsForm } from "../../helpers/push-iq.js";

const PUSH_OPTIONS = "urn:xmpp:push:options";
let chain: Chain;
afterEach(() => chain?.close());

/** The `urn:xmpp:push:options` form, spelled out so a wrong SDK builder cannot hide a server bug. */
function optionsForm(values: Record<string, string>): Element {
  return xml(
    "x",
    { xmlns: NS.dataForms, type: "submit" },
    xml("field", { var: "FORM_TYPE", type: "hidden" }, xml("value", {}, PUSH_OPTIONS)),
    ...Object.entries(values).map(([name, value]) => xml("field", { var: name }, xml("value", {}, value))),
  );
}

/** bob's phone subscribes through the SDK with `pushOptions`. */
async function pushAfter(pushOptions: Record<string, boolean>) {
  const bob = await chain.device("bob");
  const registration = await bob.push.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "bob-token", pushOptions });
  return { bob, registration };
}

/** The stored registration enabled again, with other options. */
async function enableAgain(push: Awaited<ReturnType<Chain["device"]>>["push"], pushOptions: Record<string, boolean>) {
  const [registration] = await push.registrations();
  if (!registration) throw new Error("no registration stored");
  await push.enable({ ...registration, pushOptions });
}

/** alice writes to the offline bob: the app server's delivery. */
async function deliveryFor(body: string) {
  const alice = await chain.connect("alice", "laptop");
  const delivered = nextEvent(chain.appServer, "delivered");
  await alice.send(chat("bob@example.test", body));
  const [delivery] = await delivered;
  return delivery;
}

describe('001: "There are user-definable config options to specify what contents should be in a push notification"', () => {
  it("R1: the account's disco#info carries the options in force, as royneary advertises them", async () => {
    chain = createChain({ preset: "royneary" });
    const bob = await chain.device("bob");
    expect(await bob.push.pushFeatures()).toMatchObject({
      push: true,
      pushOptions: { includeSenders: false, includeMessageCount: true, includeSubscriptionCount: true, includeMessageBodies: false },
    });
    expect(await bob.push.isSupported()).toBe(true);
  });

  it("R2: per-user options reduce and cannot widen: a later enable turns nothing back on", async () => {
    chain = createChain({ preset: "royneary", push: { includeSender: true, includeBody: true } });
    const { bob } = await pushAfter({ includeSenders: false });
    expect((await bob.push.pushFeatures()).pushOptions).toMatchObject({ includeSenders: false, includeMessageBodies: true });

    // A second enable asks for the sender back, and turns the bodies off.
    await enableAgain(bob.push, { includeSenders: true, includeMessageBodies: false });
    expect((await bob.push.pushFeatures()).pushOptions).toEqual({
      includeSenders: false,
      includeMessageCount: true,
      includeSubscriptionCount: true,
      includeMessageBodies: false,
    });
    await goOffline(chain, bob.xmpp);
    const delivery = await deliveryFor("private");
    expect(delivery.summary).toEqual({ messageCount: 1 });
  });

  it("R2: under the reference rules even the first enable cannot widen what the server is configured to send", async () => {
    chain = createChain({ push: { includeSender: false, includeBody: false } });
    const { bob } = await pushAfter({ includeSenders: true, includeMessageBodies: true, includeMessageCount: false });
    await goOffline(chain, bob.xmpp);
    const delivery = await deliveryFor("hello");
    expect(delivery.summary).toEqual({});
  });

  it("R2: royneary's first enable sets options the configuration leaves off; the answer names what it accepted", async () => {
    chain = createChain({ preset: "royneary" });
    const bob = await chain.connect("bob");
    const { node, secret } = await registerRaw(bob);
    const reply = await bob.iqCaller.request(enable(APP_SERVER, node, optionsForm({ "include-message-bodies": "1" }), publishOptionsForm(secret)));
    const answered = reply.getChild("enable", NS.push)?.getChild("x", NS.dataForms);
    expect(answered?.getChildren("field").map((field) => [field.attrs.var, field.getChildText("value")])).toEqual([
      ["FORM_TYPE", PUSH_OPTIONS],
      ["include-message-bodies", "1"],
    ]);
    await goOffline(chain, bob);
    const delivery = await deliveryFor("with body");
    expect(delivery.summary).toEqual({ messageCount: 1, lastMessageBody: "with body" });
  });

  it("R3: the options form may come before or after the publish-options; neither is refused or ignored", async () => {
    chain = createChain({ preset: "royneary" });
    const bob = await chain.connect("bob");
    const { node, secret } = await registerRaw(bob);
    await bob.iqCaller.request(enable(APP_SERVER, node, optionsForm({ "include-message-count": "false" }), publishOptionsForm(secret)));
    expect(chain.server.registrations("bob")[0]?.publishOptions).toEqual({ secret });
    await bob.iqCaller.request(enable(APP_SERVER, node, publishOptionsForm(secret), optionsForm({ "include-subscription-count": "0" })));
    const disco = await bob.iqCaller.request(xml("iq", { type: "get", to: "bob@example.test" }, xml("query", { xmlns: NS.discoInfo })));
    const form = disco.getChild("query", NS.discoInfo)?.getChildren("x", NS.dataForms).find((x) => x.getChildren("field").some((f) => f.getChildText("value") === PUSH_OPTIONS));
    const values = Object.fromEntries((form?.getChildren("field") ?? []).map((field) => [field.attrs.var, field.getChildText("value")]));
    expect(values).toMatchObject({ "include-message-count": "0", "include-subscription-count": "0" });
  });

  it.each(["prosody", "ejabberd", "mongooseim", "tigase"] as const)("R9: the %s preset knows no options form: none advertised, an enable's form changes nothing", async (preset) => {
    chain = createChain({ preset });
    const bob = await chain.device("bob");
    expect((await bob.push.pushFeatures()).pushOptions).toBeUndefined();
    const before = (await deliveryAfterSubscribing(bob, {})).summary;
    await chain.close();

    chain = createChain({ preset });
    const again = await chain.device("bob");
    const after = (await deliveryAfterSubscribing(again, { includeMessageCount: false, includeMessageBodies: false, includeSenders: false })).summary;
    expect(after).toEqual(before);
  });

  it("R3: an option that is not a boolean is refused with not-acceptable, as royneary answers", async () => {
    chain = createChain({ preset: "royneary" });
    const bob = await chain.connect("bob");
    const { node, secret } = await registerRaw(bob);
    const refused = bob.iqCaller.request(enable(APP_SERVER, node, publishOptionsForm(secret), optionsForm({ "include-senders": "maybe" })));
    await expect(refused).rejects.toMatchObject({ condition: "not-acceptable" });
    expect(chain.server.registrations("bob")).toEqual([]);
  });
});

/** bob subscribes with `pushOptions` and goes offline; alice writes to him: the app server's delivery. */
async function deliveryAfterSubscribing(bob: Awaited<ReturnType<Chain["device"]>>, pushOptions: Record<string, boolean>) {
  await bob.push.subscribe({ appServer: APP_SERVER, provider: "fcm", token: "bob-token", pushOptions });
  await goOffline(chain, bob.xmpp);
  return deliveryFor("hello");
}

/** Registers through the SDK without enabling, for tests that send the enable themselves. */
async function registerRaw(xmpp: Awaited<ReturnType<Chain["connect"]>>) {
  const { PushClient } = await import("../../../src/index.js");
  const registration = await new PushClient(xmpp, { reenable: false }).register({ appServer: APP_SERVER, provider: "fcm", token: "raw-token" });
  return { node: registration.node, secret: registration.secret ?? "" };
}
