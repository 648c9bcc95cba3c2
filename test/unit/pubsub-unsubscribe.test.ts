/**
 * MG8: `<unsubscribe node='…' jid='…'/>` (XEP-0060 §6.2) ends exactly that JID's subscription,
 * which frees its place on a full node (MG7) and stops its notifications. Errors: no node named
 * is `nodeid-required`, no or a malformed JID `invalid-jid`, a node that does not exist
 * `item-not-found`, another account's JID `forbidden`, a JID not subscribed
 * `cancel/unexpected-request` + `not-subscribed`.
 */

import { xml } from "@xmpp/client";
import { describe, expect, it } from "vitest";
import { buildIq, type Element, NS } from "../../src/protocol/index.js";
import { createPubsubService, type PubsubService } from "../../src/sim/index.js";
import { publishOptionsForm } from "../helpers/push-iq.js";
import { errorOf } from "../helpers/stanza-error.js";

const PUBSUB = "pubsub.example.test";
const BOB = "bob@example.test/phone";
const ALICE = "alice@example.test/laptop";

function pubsubSet(service: PubsubService, from: string, id: string, child: Element): Promise<Element> {
  return service.handleIq(buildIq({ type: "set", from, to: PUBSUB, id }, xml("pubsub", { xmlns: NS.pubsub }, child)));
}

/** Node `n`, an open leaf node (the service's default access model `open`) owned by Bob. */
async function openNode(service: PubsubService): Promise<void> {
  expect((await pubsubSet(service, BOB, "create", xml("create", { node: "n" }))).attrs.type).toBe("result");
}

/** `jid` (bare or full) subscribes itself to node `n`. */
function subscribe(service: PubsubService, jid: string): Promise<Element> {
  return pubsubSet(service, jid, `sub-${jid}`, xml("subscribe", { node: "n", jid }));
}

/** `from` unsubscribes itself from node `n`, or what `attrs` names; an `undefined` attribute is left out. */
function unsubscribe(service: PubsubService, from: string, attrs: Partial<Record<"node" | "jid" | "subid", string | undefined>> = {}): Promise<Element> {
  const request = { node: "n", jid: from, ...attrs };
  return pubsubSet(service, from, `unsub-${String(request.jid)}`, xml("unsubscribe", request));
}

function subscribersOf(service: PubsubService): string[] {
  const node = service.nodes().find((candidate) => candidate.name === "n");
  if (!node) throw new Error("no node n");
  return [...node.subscribers];
}

const user = (index: number): string => `user${index}@example.test/phone`;

describe("MG8: unsubscribe", () => {
  it("ends the subscription with an empty result; the JID is subscribed no more", async () => {
    const service = createPubsubService({ jid: PUBSUB });
    await openNode(service);
    await subscribe(service, ALICE);
    await subscribe(service, BOB);
    const reply = await unsubscribe(service, ALICE);
    expect(reply.attrs).toMatchObject({ type: "result", id: `unsub-${ALICE}`, from: PUBSUB });
    expect(reply.children).toEqual([]);
    expect(subscribersOf(service)).toEqual([BOB]);
  });

  it("names exactly the subscribed JID: a full JID's subscription is not the bare JID's, and case does not matter", async () => {
    const service = createPubsubService({ jid: PUBSUB });
    await openNode(service);
    await subscribe(service, ALICE);
    expect(errorOf(await unsubscribe(service, ALICE, { jid: "alice@example.test" }))).toMatchObject({ condition: "unexpected-request", specific: "not-subscribed" });
    expect((await unsubscribe(service, ALICE, { jid: "Alice@EXAMPLE.test/laptop" })).attrs.type).toBe("result");
    expect(subscribersOf(service)).toEqual([]);
  });

  it("a JID not subscribed is cancel/unexpected-request + not-subscribed", async () => {
    const service = createPubsubService({ jid: PUBSUB });
    await openNode(service);
    expect(errorOf(await unsubscribe(service, ALICE))).toMatchObject({ type: "cancel", condition: "unexpected-request", specific: "not-subscribed" });
    await subscribe(service, ALICE);
    await unsubscribe(service, ALICE);
    expect(errorOf(await unsubscribe(service, ALICE))).toMatchObject({ type: "cancel", condition: "unexpected-request", specific: "not-subscribed" });
  });

  it("a node that does not exist is item-not-found", async () => {
    const service = createPubsubService({ jid: PUBSUB });
    expect(errorOf(await unsubscribe(service, ALICE, { node: "nowhere" }))).toMatchObject({ type: "cancel", condition: "item-not-found" });
  });

  it("another account's JID is forbidden, and its subscription stays", async () => {
    const service = createPubsubService({ jid: PUBSUB });
    await openNode(service);
    await subscribe(service, BOB);
    expect(errorOf(await unsubscribe(service, ALICE, { jid: BOB }))).toMatchObject({ type: "auth", condition: "forbidden" });
    expect(errorOf(await unsubscribe(service, ALICE, { jid: "bob@example.test" }))).toMatchObject({ type: "auth", condition: "forbidden" });
    expect(subscribersOf(service)).toEqual([BOB]);
  });

  it("another resource of the same account may unsubscribe the JID (the bare JIDs match)", async () => {
    const service = createPubsubService({ jid: PUBSUB });
    await openNode(service);
    await subscribe(service, ALICE);
    expect((await unsubscribe(service, "alice@example.test/phone", { jid: ALICE })).attrs.type).toBe("result");
    expect(subscribersOf(service)).toEqual([]);
  });

  it("no node is bad-request + nodeid-required; no JID or a malformed one bad-request + invalid-jid", async () => {
    const service = createPubsubService({ jid: PUBSUB });
    await openNode(service);
    await subscribe(service, ALICE);
    expect(errorOf(await unsubscribe(service, ALICE, { node: undefined }))).toMatchObject({ type: "modify", condition: "bad-request", specific: "nodeid-required" });
    expect(errorOf(await unsubscribe(service, ALICE, { jid: undefined }))).toMatchObject({ type: "modify", condition: "bad-request", specific: "invalid-jid" });
    expect(errorOf(await unsubscribe(service, ALICE, { jid: "alice@@example.test" }))).toMatchObject({ type: "modify", condition: "bad-request", specific: "invalid-jid" });
    expect(subscribersOf(service)).toEqual([ALICE]);
  });

  it("a subid is ignored: the service hands out none (XEP-0060 §6.2.3.5)", async () => {
    const service = createPubsubService({ jid: PUBSUB });
    await openNode(service);
    await subscribe(service, ALICE);
    expect((await unsubscribe(service, ALICE, { subid: "ba49252aaa4f5d320c24d3766f0bdcade78c78d3" })).attrs.type).toBe("result");
    expect(subscribersOf(service)).toEqual([]);
  });
});

describe("MG8: unsubscribe frees a full node's place (MG7)", () => {
  it("on a node with the default 1000 subscribers, the 1001st subscribes once one has unsubscribed", async () => {
    const service = createPubsubService({ jid: PUBSUB });
    await openNode(service);
    for (let index = 1; index <= 1000; index++) expect((await subscribe(service, user(index))).attrs.type).toBe("result");
    expect(errorOf(await subscribe(service, user(1001)))).toMatchObject({ condition: "not-allowed", specific: "closed-node" });
    expect((await unsubscribe(service, user(1))).attrs.type).toBe("result");
    expect((await subscribe(service, user(1001))).attrs.type).toBe("result");
    // The place is taken again.
    expect(errorOf(await subscribe(service, user(1)))).toMatchObject({ condition: "not-allowed", specific: "closed-node" });
    expect(subscribersOf(service)).toHaveLength(1000);
  });
});

describe("MG8: no notification after unsubscribe", () => {
  const APP = "app@example.test";
  const SECRET = "s3cret";

  /** royneary's push service: the app server's push node, with a secret, forwarding each publish to its subscribers. */
  async function forwardingNode(): Promise<{ service: PubsubService; sent: Element[] }> {
    const service = createPubsubService({ jid: PUBSUB, pushNodes: "subscribers" });
    const sent: Element[] = [];
    service.connect((stanza) => sent.push(stanza));
    const config = xml(
      "x",
      { xmlns: NS.dataForms, type: "submit" },
      xml("field", { var: "FORM_TYPE", type: "hidden" }, xml("value", {}, NS.nodeConfig)),
      xml("field", { var: "pubsub#secret" }, xml("value", {}, SECRET)),
    );
    const create = await service.handleIq(
      buildIq({ type: "set", from: `${APP}/one`, to: PUBSUB, id: "create" }, xml("pubsub", { xmlns: NS.pubsub }, xml("create", { node: "n", type: "push" }), xml("configure", {}, config))),
    );
    expect(create.attrs.type).toBe("result");
    return { service, sent };
  }

  /** The user's server publishes a notification to node `n`. */
  function publish(service: PubsubService): Promise<Element> {
    const item = xml("item", {}, xml("notification", { xmlns: NS.push }));
    const pubsub = xml("pubsub", { xmlns: NS.pubsub }, xml("publish", { node: "n" }, item), xml("publish-options", {}, publishOptionsForm(SECRET)));
    return service.handleIq(buildIq({ type: "set", from: "example.test", to: PUBSUB, id: "publish" }, pubsub));
  }

  const recipients = (sent: Element[]): string[] => sent.filter((stanza) => stanza.getChild("event", NS.pubsubEvent)).map((stanza) => String(stanza.attrs.to));

  it("a publish goes to the JIDs still subscribed, not to the one that unsubscribed", async () => {
    const { service, sent } = await forwardingNode();
    const forwarded: string[] = [];
    service.on("forwarded", (forward) => forwarded.push(forward.subscriber));
    await subscribe(service, `${APP}/one`);
    await subscribe(service, `${APP}/two`);
    expect((await publish(service)).attrs.type).toBe("result");
    expect(recipients(sent)).toEqual([`${APP}/one`, `${APP}/two`]);

    expect((await unsubscribe(service, `${APP}/one`)).attrs.type).toBe("result");
    sent.length = 0;
    forwarded.length = 0;
    expect((await publish(service)).attrs.type).toBe("result");
    expect(recipients(sent)).toEqual([`${APP}/two`]);
    expect(forwarded).toEqual([`${APP}/two`]);
  });
});
