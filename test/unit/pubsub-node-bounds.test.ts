/**
 * MG7: a node of the pubsub service keeps at most `maxSubscribersPerNode` subscribed JIDs (one
 * more is `cancel/not-allowed` + `closed-node`, as ejabberd's `max_subscriptions_node`) and
 * `maxAffiliationsPerNode` affiliations, its owner's included (a set that would leave more is
 * refused whole, `wait/resource-constraint`). Defaults 1000 each.
 */

import { xml } from "@xmpp/client";
import { describe, expect, it } from "vitest";
import { buildIq, type Element, NS } from "../../src/protocol/index.js";
import { createPubsubService, type PubsubNode, type PubsubService } from "../../src/sim/index.js";

const PUBSUB = "pubsub.example.test";
const BOB = "bob@example.test/phone";

/** An open leaf node (no `type`: the service's default access model `open`) owned by Bob. */
async function openNode(service: PubsubService, node: string): Promise<void> {
  const reply = await service.handleIq(buildIq({ type: "set", from: BOB, to: PUBSUB, id: `create-${node}` }, xml("pubsub", { xmlns: NS.pubsub }, xml("create", { node }))));
  expect(reply.attrs.type).toBe("result");
}

/** `jid` (a full JID) subscribes itself to `node`. */
function subscribe(service: PubsubService, jid: string, node = "n"): Promise<Element> {
  return service.handleIq(buildIq({ type: "set", from: jid, to: PUBSUB, id: `sub-${jid}` }, xml("pubsub", { xmlns: NS.pubsub }, xml("subscribe", { node, jid }))));
}

/** Bob, the owner, sets affiliations on node `n`. */
function setAffiliations(service: PubsubService, entries: Record<string, string>): Promise<Element> {
  const children = Object.entries(entries).map(([jid, affiliation]) => xml("affiliation", { jid, affiliation }));
  return service.handleIq(buildIq({ type: "set", from: BOB, to: PUBSUB, id: "affiliations" }, xml("pubsub", { xmlns: NS.pubsubOwner }, xml("affiliations", { node: "n" }, ...children))));
}

/** The error's type and its children as `name xmlns`, without the text. */
function errorOf(reply: Element): { type: unknown; conditions: string[] } {
  const error = reply.getChild("error");
  const children = (error?.children ?? []).filter((child): child is Element => typeof child !== "string" && child.name !== "text");
  return { type: error?.attrs.type, conditions: children.map((child) => `${child.name} ${String(child.attrs.xmlns)}`) };
}

const CLOSED_NODE = { type: "cancel", conditions: [`not-allowed ${NS.stanzas}`, `closed-node ${NS.pubsubErrors}`] };
const NO_ROOM = { type: "wait", conditions: [`resource-constraint ${NS.stanzas}`] };

function nodeNamed(service: PubsubService, name: string): PubsubNode {
  const node = service.nodes().find((candidate) => candidate.name === name);
  if (!node) throw new Error(`no node ${name}`);
  return node;
}

const user = (index: number): string => `user${index}@example.test/phone`;

describe("MG7: subscribers per node", () => {
  it("one more subscriber past maxSubscribersPerNode is not-allowed + closed-node and not kept", async () => {
    const service = createPubsubService({ jid: PUBSUB, maxSubscribersPerNode: 2 });
    await openNode(service, "n");
    expect((await subscribe(service, user(1))).attrs.type).toBe("result");
    expect((await subscribe(service, user(2))).attrs.type).toBe("result");
    expect(errorOf(await subscribe(service, user(3)))).toEqual(CLOSED_NODE);
    expect([...nodeNamed(service, "n").subscribers]).toEqual([user(1), user(2)]);
    // Subscribing again adds nothing, so it is still answered.
    expect((await subscribe(service, user(1))).attrs.type).toBe("result");
  });

  it("each resource of one account counts, so one requester cannot grow a node without end", async () => {
    const service = createPubsubService({ jid: PUBSUB, maxSubscribersPerNode: 3 });
    await openNode(service, "n");
    for (const resource of ["a", "b", "c"]) expect((await subscribe(service, `eve@example.test/${resource}`)).attrs.type).toBe("result");
    expect(errorOf(await subscribe(service, "eve@example.test/d"))).toEqual(CLOSED_NODE);
    expect(nodeNamed(service, "n").subscribers.size).toBe(3);
  });

  it("a JID spelt in another case is the one already subscribed, so it takes no second place", async () => {
    const service = createPubsubService({ jid: PUBSUB, maxSubscribersPerNode: 1 });
    await openNode(service, "n");
    await subscribe(service, user(1));
    expect((await subscribe(service, "USER1@Example.TEST/phone")).attrs.type).toBe("result");
    expect([...nodeNamed(service, "n").subscribers]).toEqual([user(1)]);
  });

  it("counts per node: a full node leaves another open", async () => {
    const service = createPubsubService({ jid: PUBSUB, maxSubscribersPerNode: 1 });
    await openNode(service, "n");
    await openNode(service, "m");
    await subscribe(service, user(1), "n");
    expect(errorOf(await subscribe(service, user(2), "n"))).toEqual(CLOSED_NODE);
    expect((await subscribe(service, user(2), "m")).attrs.type).toBe("result");
  });

  it("defaults to 1000", async () => {
    const service = createPubsubService({ jid: PUBSUB });
    await openNode(service, "n");
    for (let index = 1; index <= 1000; index++) expect((await subscribe(service, user(index))).attrs.type).toBe("result");
    expect(errorOf(await subscribe(service, user(1001)))).toEqual(CLOSED_NODE);
    expect(nodeNamed(service, "n").subscribers.size).toBe(1000);
  });
});

describe("MG7: affiliations per node", () => {
  it("a set that would leave more than maxAffiliationsPerNode (the owner's included) is refused whole", async () => {
    const service = createPubsubService({ jid: PUBSUB, maxAffiliationsPerNode: 3 });
    await openNode(service, "n");
    expect((await setAffiliations(service, { "a@example.test": "publisher" })).attrs.type).toBe("result");
    // Room for one more, two asked: neither is set.
    expect(errorOf(await setAffiliations(service, { "b@example.test": "member", "c@example.test": "member" }))).toEqual(NO_ROOM);
    expect([...nodeNamed(service, "n").affiliations.keys()]).toEqual(["bob@example.test", "a@example.test"]);
    expect((await setAffiliations(service, { "b@example.test": "member" })).attrs.type).toBe("result");
    expect(errorOf(await setAffiliations(service, { "c@example.test": "member" }))).toEqual(NO_ROOM);
  });

  it("at the limit an affiliation may still change, and a removal in the same set makes room", async () => {
    const service = createPubsubService({ jid: PUBSUB, maxAffiliationsPerNode: 2 });
    await openNode(service, "n");
    await setAffiliations(service, { "a@example.test": "publisher" });
    expect((await setAffiliations(service, { "a@example.test": "outcast" })).attrs.type).toBe("result");
    expect((await setAffiliations(service, { "a@example.test": "none", "c@example.test": "member" })).attrs.type).toBe("result");
    expect(Object.fromEntries(nodeNamed(service, "n").affiliations)).toEqual({ "bob@example.test": "owner", "c@example.test": "member" });
  });

  it("defaults to 1000", async () => {
    const service = createPubsubService({ jid: PUBSUB });
    await openNode(service, "n");
    const entries = Object.fromEntries(Array.from({ length: 999 }, (_, index) => [`member${index}@example.test`, "member"]));
    expect((await setAffiliations(service, entries)).attrs.type).toBe("result");
    expect(errorOf(await setAffiliations(service, { "one-more@example.test": "member" }))).toEqual(NO_ROOM);
    expect(nodeNamed(service, "n").affiliations.size).toBe(1000);
  });
});

describe("MG7: limits", () => {
  it("a limit that is not a positive integer is a RangeError", () => {
    expect(() => createPubsubService({ jid: PUBSUB, maxSubscribersPerNode: 0 })).toThrow(RangeError);
    expect(() => createPubsubService({ jid: PUBSUB, maxAffiliationsPerNode: 2.5 })).toThrow(RangeError);
    expect(() => createPubsubService({ jid: PUBSUB, maxSubscribersPerNode: Number.POSITIVE_INFINITY, maxAffiliationsPerNode: Number.POSITIVE_INFINITY })).not.toThrow();
  });
});
