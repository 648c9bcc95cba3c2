/** The pubsub service's recording providers keep the latest `deliveryLimit` deliveries; every one still raises `delivered`. */

import { xml } from "@xmpp/client";
import { describe, expect, it } from "vitest";
import { buildForm, buildIq, type Element, formFromValues, NS } from "../../src/protocol/index.js";
import { createPubsubService, type PubsubDelivery, type PubsubService, type PubsubServiceOptions } from "../../src/sim/index.js";

const PUBSUB = "pubsub.example.test";
const OWNER = "bob@example.test/phone";

function iq(child: Element, id: string): Element {
  return buildIq({ type: "set", from: OWNER, to: PUBSUB, id }, child);
}

async function withPushNode(options: Partial<PubsubServiceOptions> = {}): Promise<PubsubService> {
  const service = createPubsubService({ jid: PUBSUB, ...options });
  const created = await service.handleIq(iq(xml("pubsub", { xmlns: NS.pubsub }, xml("create", { node: "bob-node", type: "push" })), "create"));
  expect(created.attrs.type).toBe("result");
  return service;
}

async function publishTimes(service: PubsubService, count: number): Promise<void> {
  for (let index = 1; index <= count; index++) {
    const publish = xml(
      "pubsub",
      { xmlns: NS.pubsub },
      xml("publish", { node: "bob-node" }, xml("item", {}, xml("notification", { xmlns: NS.push }))),
      xml("publish-options", {}, buildForm(formFromValues("submit", NS.publishOptions, { service: "fcm", device_id: `token-${index}` }))),
    );
    expect((await service.handleIq(iq(publish, `p${index}`))).attrs.type).toBe("result");
  }
}

describe("A12: pubsub service deliveries", () => {
  it("keep the latest deliveryLimit, oldest dropped, and delivered fires for every one", async () => {
    const service = await withPushNode({ deliveryLimit: 2 });
    const delivered: PubsubDelivery[] = [];
    service.on("delivered", (delivery) => delivered.push(delivery));
    await publishTimes(service, 4);
    expect(service.deliveries.map((delivery) => delivery.deviceId)).toEqual(["token-3", "token-4"]);
    expect(delivered.map((delivery) => delivery.deviceId)).toEqual(["token-1", "token-2", "token-3", "token-4"]);
  });

  it("under the limit keep every delivery, in order", async () => {
    const service = await withPushNode({ deliveryLimit: 2 });
    await publishTimes(service, 2);
    expect(service.deliveries.map((delivery) => delivery.deviceId)).toEqual(["token-1", "token-2"]);
  });

  it("default to 10,000 kept", async () => {
    const service = await withPushNode();
    await publishTimes(service, 10_001);
    expect(service.deliveries).toHaveLength(10_000);
    expect(service.deliveries[0]!.deviceId).toBe("token-2");
  });

  it("refuse a limit that is not a positive integer", () => {
    expect(() => createPubsubService({ jid: PUBSUB, deliveryLimit: 0 })).toThrow(RangeError);
  });
});
