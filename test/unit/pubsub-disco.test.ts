/**
 * The pubsub service's disco#info advertises exactly the XEP-0060 §10 features it implements:
 * each advertised one answers its request, and `config-node`, which it does not answer, is not
 * advertised.
 */

import { xml } from "@xmpp/client";
import { describe, expect, it } from "vitest";
import { buildIq, NS } from "../../src/protocol/index.js";
import { createPubsubService } from "../../src/sim/index.js";

const PUBSUB = "pubsub.example.test";
const BOB = "bob@example.test/phone";

const feature = (name: string) => `${NS.pubsub}#${name}`;

describe("pubsub service disco#info", () => {
  it("lists create-and-configure, instant-nodes and subscribe beside node_push's features, and not config-node", async () => {
    const service = createPubsubService({ jid: PUBSUB });
    const reply = await service.handleIq(buildIq({ type: "get", from: BOB, to: PUBSUB, id: "d" }, xml("query", { xmlns: NS.discoInfo })));
    const features = reply
      .getChild("query", NS.discoInfo)!
      .getChildren("feature")
      .map((element) => String(element.attrs.var));
    expect(features.filter((name) => name.startsWith(`${NS.pubsub}#`)).sort()).toEqual(
      [
        "create-and-configure",
        "create-nodes",
        "delete-nodes",
        "instant-nodes",
        "modify-affiliations",
        "publish",
        "publish-options",
        "publish-only-affiliation",
        "retrieve-affiliations",
        "subscribe",
      ]
        .map(feature)
        .sort(),
    );

    // Each of the three new ones answers: an instant node, a subscribe to it, an unsubscribe.
    const created = await service.handleIq(buildIq({ type: "set", from: BOB, to: PUBSUB, id: "c" }, xml("pubsub", { xmlns: NS.pubsub }, xml("create"), xml("configure"))));
    expect(created.attrs.type).toBe("result");
    const node = String(created.getChild("pubsub", NS.pubsub)?.getChild("create")?.attrs.node);
    const subscribed = await service.handleIq(buildIq({ type: "set", from: BOB, to: PUBSUB, id: "s" }, xml("pubsub", { xmlns: NS.pubsub }, xml("subscribe", { node, jid: BOB }))));
    expect(subscribed.attrs.type).toBe("result");
    const unsubscribed = await service.handleIq(buildIq({ type: "set", from: BOB, to: PUBSUB, id: "u" }, xml("pubsub", { xmlns: NS.pubsub }, xml("unsubscribe", { node, jid: BOB }))));
    expect(unsubscribed.attrs.type).toBe("result");
    // config-node: the owner's <configure/> is not implemented, so not advertised.
    const configure = await service.handleIq(buildIq({ type: "get", from: BOB, to: PUBSUB, id: "g" }, xml("pubsub", { xmlns: NS.pubsubOwner }, xml("configure", { node }))));
    expect(configure.attrs.type).toBe("error");
  });
});
