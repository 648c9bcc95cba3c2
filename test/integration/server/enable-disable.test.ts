/**
 * XEP-0357 enable and disable sent raw through `iqCaller.request`, so the SDK cannot hide the
 * server's answers (S2, S3, S4): what is refused, what replaces what, what disable removes.
 */

import { xml } from "@xmpp/client";
import { describe, expect, it } from "vitest";
import { NS } from "../../../src/protocol/index.js";
import { APP_SERVER, type Chain, record } from "../../helpers/chain.js";
import { useChainSessions } from "../../helpers/client-sessions.js";
import { disable, enable, publishOptionsForm } from "../../helpers/push-iq.js";
import { iqError } from "../../helpers/stanza-error.js";

let chain: Chain;
const { startChain } = useChainSessions();

describe("XEP-0357 enable and disable, raw (S2, S3, S4)", () => {
  it("a valid enable with a submit publish-options form → empty result, one registration", async () => {
    chain = startChain();
    const bob = await chain.connect("bob");
    const enabled = record(chain.server, "enabled");
    const result = await bob.iqCaller.request(enable(APP_SERVER, "n1", publishOptionsForm("s1")));

    expect(result.attrs.type).toBe("result");
    expect(result.getChildElements()).toEqual([]);
    expect(chain.server.registrations("bob")).toEqual([
      { jid: APP_SERVER, node: "n1", publishOptions: { secret: "s1" }, enabledAt: expect.any(Number) },
    ]);
    expect(enabled.map(([registration]) => [registration.account, registration.jid, registration.node])).toEqual([["bob@example.test", APP_SERVER, "n1"]]);
  });

  it.each([
    ["S2: enable without jid → bad-request", () => enable(undefined, "n1")],
    ["S2: enable without node → bad-request", () => enable(APP_SERVER, undefined)],
    ["S2: enable with an empty node → bad-request", () => enable(APP_SERVER, "")],
    ["S2: enable with jid equal to the own bare JID → bad-request", () => enable("bob@example.test", "n1")],
    ["S2: enable with jid equal to the own full JID → bad-request", () => enable("bob@example.test/phone", "n1")],
    ["S2: publish-options form of type 'form', not 'submit' → bad-request (ejabberd issue #3708)", () => enable(APP_SERVER, "n1", publishOptionsForm("s1", "form"))],
    ["S2: a submit form with another FORM_TYPE → bad-request", () => enable(APP_SERVER, "n1", publishOptionsForm("s1", "submit", "urn:example:other"))],
  ])("%s, nothing registered", async (_title, build) => {
    chain = startChain();
    const bob = await chain.connect("bob");
    const enabled = record(chain.server, "enabled");
    expect(await iqError(bob, build())).toEqual({ name: "StanzaError", condition: "bad-request", type: "modify" });
    expect(chain.server.registrations("bob")).toEqual([]);
    expect(enabled).toEqual([]);
  });

  it("S2: enable (and disable) with IQ type get → not-allowed", async () => {
    chain = startChain();
    const bob = await chain.connect("bob");
    const get = xml("iq", { type: "get" }, xml("enable", { xmlns: NS.push, jid: APP_SERVER, node: "n1" }));
    expect(await iqError(bob, get)).toEqual({ name: "StanzaError", condition: "not-allowed", type: "cancel" });
    expect(chain.server.registrations("bob")).toEqual([]);

    await bob.iqCaller.request(enable(APP_SERVER, "n1"));
    const getDisable = xml("iq", { type: "get" }, xml("disable", { xmlns: NS.push, jid: APP_SERVER }));
    expect(await iqError(bob, getDisable)).toEqual({ name: "StanzaError", condition: "not-allowed", type: "cancel" });
    expect(chain.server.registrations("bob").map((registration) => registration.node)).toEqual(["n1"]);
  });

  it("an enable addressed to another user's bare JID is refused and registers nothing for either user", async () => {
    chain = startChain();
    const alice = await chain.connect("alice");
    const iq = xml("iq", { type: "set", to: "bob@example.test" }, xml("enable", { xmlns: NS.push, jid: APP_SERVER, node: "n1" }));
    expect(await iqError(alice, iq)).toEqual({ name: "StanzaError", condition: "service-unavailable", type: "cancel" });
    expect(chain.server.registrations("bob")).toEqual([]);
    expect(chain.server.registrations("alice")).toEqual([]);
  });

  it("S3: the same (jid, node) enabled twice → one registration, the latest publish-options win", async () => {
    chain = startChain();
    const bob = await chain.connect("bob");
    await bob.iqCaller.request(enable(APP_SERVER, "n1", publishOptionsForm("first")));
    await bob.iqCaller.request(enable(APP_SERVER, "n1", publishOptionsForm("second")));
    expect(chain.server.registrations("bob")).toEqual([
      { jid: APP_SERVER, node: "n1", publishOptions: { secret: "second" }, enabledAt: expect.any(Number) },
    ]);

    // Enabling again without a form drops the old publish-options too.
    await bob.iqCaller.request(enable(APP_SERVER, "n1"));
    expect(chain.server.registrations("bob")).toEqual([{ jid: APP_SERVER, node: "n1", publishOptions: {}, enabledAt: expect.any(Number) }]);
  });

  it("S3: the same node at two push services, or two nodes at one, are separate registrations", async () => {
    chain = startChain();
    const bob = await chain.connect("bob");
    await bob.iqCaller.request(enable(APP_SERVER, "n1"));
    await bob.iqCaller.request(enable(APP_SERVER, "n2"));
    await bob.iqCaller.request(enable("other.example.test", "n1"));
    expect(chain.server.registrations("bob").map((registration) => [registration.jid, registration.node])).toEqual([
      [APP_SERVER, "n1"],
      [APP_SERVER, "n2"],
      ["other.example.test", "n1"],
    ]);
  });

  it("S4: disable with node removes that one; without node every node of that jid, and only of that jid", async () => {
    chain = startChain();
    const bob = await chain.connect("bob");
    for (const [jid, node] of [
      [APP_SERVER, "n1"],
      [APP_SERVER, "n2"],
      [APP_SERVER, "n3"],
      ["other.example.test", "n1"],
    ] as const) {
      await bob.iqCaller.request(enable(jid, node));
    }
    const disabled = record(chain.server, "disabled");
    const nodes = () => chain.server.registrations("bob").map((registration) => `${registration.jid} ${registration.node}`);

    const result = await bob.iqCaller.request(disable(APP_SERVER, "n2"));
    expect(result.attrs.type).toBe("result");
    expect(nodes()).toEqual([`${APP_SERVER} n1`, `${APP_SERVER} n3`, "other.example.test n1"]);

    await bob.iqCaller.request(disable(APP_SERVER));
    expect(nodes()).toEqual(["other.example.test n1"]);
    expect(disabled.map(([registration]) => registration.node)).toEqual(["n2", "n1", "n3"]);
  });

  it("S4: disabling what is not registered answers result and changes nothing (Prosody behaviour)", async () => {
    chain = startChain();
    const bob = await chain.connect("bob");
    await bob.iqCaller.request(enable(APP_SERVER, "n1"));
    const disabled = record(chain.server, "disabled");

    for (const iq of [disable(APP_SERVER, "unknown-node"), disable("nobody.example.test"), disable("nobody.example.test", "n1")]) {
      const result = await bob.iqCaller.request(iq);
      expect(result.attrs.type).toBe("result");
    }
    expect(chain.server.registrations("bob").map((registration) => registration.node)).toEqual(["n1"]);
    expect(disabled).toEqual([]);
  });

  it("S4: disable without jid → bad-request", async () => {
    chain = startChain();
    const bob = await chain.connect("bob");
    await bob.iqCaller.request(enable(APP_SERVER, "n1"));
    const iq = xml("iq", { type: "set" }, xml("disable", { xmlns: NS.push, node: "n1" }));
    expect(await iqError(bob, iq)).toEqual({ name: "StanzaError", condition: "bad-request", type: "modify" });
    expect(chain.server.registrations("bob")).toHaveLength(1);
  });
});
