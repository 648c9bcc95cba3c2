/**
 * What the reference server answers to service discovery (S1): the account's disco#info with
 * urn:xmpp:push:0, the domain's identity, and the components listed on the domain's disco#items.
 */

import { xml } from "@xmpp/client";
import { describe, expect, it } from "vitest";
import { NS } from "../../../src/protocol/index.js";
import { APP_SERVER, type Chain, DOMAIN } from "../../helpers/chain.js";
import { useChainSessions } from "../../helpers/client-sessions.js";
import { manualComponent } from "../../helpers/manual-component.js";

let chain: Chain;
const { startChain } = useChainSessions();

describe("service discovery (S1)", () => {
  it("S1: disco#info on the account's own bare JID lists urn:xmpp:push:0 and identity account/registered", async () => {
    chain = startChain();
    const bob = await chain.connect("bob");
    const result = await bob.iqCaller.request(xml("iq", { type: "get", to: "bob@example.test" }, xml("query", { xmlns: NS.discoInfo })));

    expect(result.attrs).toMatchObject({ type: "result", from: "bob@example.test", to: "bob@example.test/phone" });
    const query = result.getChild("query", NS.discoInfo)!;
    expect(query.getChildren("identity").map((identity) => identity.attrs)).toEqual([{ category: "account", type: "registered" }]);
    expect(query.getChildren("feature").map((feature) => feature.attrs.var)).toEqual([NS.discoInfo, NS.discoItems, NS.push]);
  });

  it("S1: the same disco#info answers an IQ without `to` (the account itself)", async () => {
    chain = startChain();
    const bob = await chain.connect("bob");
    const result = await bob.iqCaller.request(xml("iq", { type: "get" }, xml("query", { xmlns: NS.discoInfo })));
    const features = result.getChild("query", NS.discoInfo)?.getChildren("feature").map((feature) => feature.attrs.var);
    expect(features).toContain(NS.push);
  });

  it("disco#info to the domain lists identity server/im", async () => {
    chain = startChain();
    const bob = await chain.connect("bob");
    const result = await bob.iqCaller.request(xml("iq", { type: "get", to: DOMAIN }, xml("query", { xmlns: NS.discoInfo })));

    expect(result.attrs.from).toBe(DOMAIN);
    const query = result.getChild("query", NS.discoInfo)!;
    expect(query.getChildren("identity").map((identity) => [identity.attrs.category, identity.attrs.type])).toEqual([["server", "im"]]);
    expect(query.getChildren("feature").map((feature) => feature.attrs.var)).not.toContain(NS.push);
  });

  it("disco#items on the domain lists the attached app server's JID, and every other attached component", async () => {
    chain = startChain();
    const bob = await chain.connect("bob");
    const items = async () => {
      const result = await bob.iqCaller.request(xml("iq", { type: "get", to: DOMAIN }, xml("query", { xmlns: NS.discoItems })));
      return result.getChild("query", NS.discoItems)!.getChildren("item").map((item) => item.attrs);
    };
    expect(await items()).toEqual([{ jid: APP_SERVER }]);

    const detach = chain.server.attach(manualComponent("other.example.test"));
    expect(await items()).toEqual([{ jid: APP_SERVER }, { jid: "other.example.test" }]);
    detach();
    expect(await items()).toEqual([{ jid: APP_SERVER }]);
  });
});
