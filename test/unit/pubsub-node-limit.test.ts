/**
 * MG6: one requester may have created at most `maxNodesPerOwner` nodes (default 100); one more
 * `<create/>` is `cancel/not-allowed` + `<max-nodes-exceeded xmlns='…pubsub#errors'/>`
 * (XEP-0060 §18.2) and creates nothing; a delete makes room.
 */

import { xml } from "@xmpp/client";
import { describe, expect, it } from "vitest";
import { buildIq, type Element, NS } from "../../src/protocol/index.js";
import { createPubsubService, type PubsubService } from "../../src/sim/index.js";

const PUBSUB = "pubsub.example.test";
const BOB = "bob@example.test/phone";
const ALICE = "alice@example.test/phone";

function create(service: PubsubService, from: string, node: string): Promise<Element> {
  return service.handleIq(buildIq({ type: "set", from, to: PUBSUB, id: `create-${node}` }, xml("pubsub", { xmlns: NS.pubsub }, xml("create", { node, type: "push" }))));
}

function remove(service: PubsubService, from: string, node: string): Promise<Element> {
  return service.handleIq(buildIq({ type: "set", from, to: PUBSUB, id: `delete-${node}` }, xml("pubsub", { xmlns: NS.pubsubOwner }, xml("delete", { node }))));
}

/** The error's type and its children as `name xmlns`, in order. */
function errorOf(reply: Element): { type: unknown; conditions: string[] } {
  const error = reply.getChild("error");
  return { type: error?.attrs.type, conditions: (error?.children ?? []).filter((child): child is Element => typeof child !== "string").map((child) => `${child.name} ${String(child.attrs.xmlns)}`) };
}

const nodeNames = (service: PubsubService): string[] => service.nodes().map((node) => node.name);

describe("MG6: nodes per owner", () => {
  it("one more create past maxNodesPerOwner is not-allowed + max-nodes-exceeded and creates nothing", async () => {
    const service = createPubsubService({ jid: PUBSUB, maxNodesPerOwner: 2 });
    const created: string[] = [];
    service.on("created", (node) => created.push(node.name));
    expect((await create(service, BOB, "n1")).attrs.type).toBe("result");
    expect((await create(service, BOB, "n2")).attrs.type).toBe("result");
    const refused = await create(service, BOB, "n3");
    expect(refused.attrs.type).toBe("error");
    expect(errorOf(refused)).toMatchObject({ type: "cancel", conditions: [`not-allowed ${NS.stanzas}`, expect.stringMatching(/^text /), `max-nodes-exceeded ${NS.pubsubErrors}`] });
    expect(nodeNames(service)).toEqual(["n1", "n2"]);
    expect(created).toEqual(["n1", "n2"]);
  });

  it("counts by owner: another requester still creates, and a delete makes room", async () => {
    const service = createPubsubService({ jid: PUBSUB, maxNodesPerOwner: 2 });
    await create(service, BOB, "n1");
    await create(service, BOB, "n2");
    expect((await create(service, ALICE, "a1")).attrs.type).toBe("result");
    expect(errorOf(await create(service, BOB, "n3")).conditions).toContain(`max-nodes-exceeded ${NS.pubsubErrors}`);
    expect((await remove(service, BOB, "n1")).attrs.type).toBe("result");
    expect((await create(service, BOB, "n3")).attrs.type).toBe("result");
    expect(nodeNames(service)).toEqual(["n2", "a1", "n3"]);
  });

  it("at the limit an existing node is still a conflict, a new one max-nodes-exceeded", async () => {
    const service = createPubsubService({ jid: PUBSUB, maxNodesPerOwner: 1 });
    await create(service, BOB, "n1");
    expect(errorOf(await create(service, BOB, "n1")).conditions).toEqual([`conflict ${NS.stanzas}`, expect.stringMatching(/^text /)]);
    expect(errorOf(await create(service, BOB, "n2")).conditions).toContain(`max-nodes-exceeded ${NS.pubsubErrors}`);
  });

  it("default to 100", async () => {
    const service = createPubsubService({ jid: PUBSUB });
    for (let index = 1; index <= 100; index++) expect((await create(service, BOB, `n${index}`)).attrs.type).toBe("result");
    expect(errorOf(await create(service, BOB, "n101")).conditions).toContain(`max-nodes-exceeded ${NS.pubsubErrors}`);
    expect(service.nodes()).toHaveLength(100);
  });

  it("a limit that is not a positive integer is a RangeError", () => {
    expect(() => createPubsubService({ jid: PUBSUB, maxNodesPerOwner: 0 })).toThrow(RangeError);
    expect(() => createPubsubService({ jid: PUBSUB, maxNodesPerOwner: -1 })).toThrow(RangeError);
  });
});
