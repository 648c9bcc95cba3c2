/**
 * Which IQ answers the reference server takes as the push service's answer to a publish: only
 * the registration's push JID answering for the right account (as mod_cloud_notify checks).
 */

import { xml } from "@xmpp/client";
import { describe, expect, it } from "vitest";
import { NS } from "../../../src/protocol/index.js";
import { type Chain, chat, nextEvent, record, waitFor } from "../../helpers/chain.js";
import { useChainSessions } from "../../helpers/client-sessions.js";
import { manualComponent } from "../../helpers/manual-component.js";
import { enable } from "../../helpers/push-iq.js";

let chain: Chain;
const { startChain, login } = useChainSessions();

describe("publish answers (mod_cloud_notify checks the sender)", () => {
  /** bob enabled push at a hand-driven push service and is offline; alice's message made the server publish. */
  async function publishPending() {
    chain = startChain();
    const service = manualComponent("push2.example.test");
    const impostor = manualComponent("impostor.example.test");
    chain.server.attach(service);
    chain.server.attach(impostor);
    const bob = await login("bob", "phone");
    await bob.xmpp.iqCaller.request(enable(service.jid, "n1"));
    await bob.xmpp.stop();
    await waitFor(() => chain.server.resources("bob").length === 0, 3000, "bob offline");

    const alice = await login("alice", "laptop");
    const published = nextEvent(chain.server, "published");
    await alice.xmpp.send(chat("bob@example.test", "hi"));
    const [, publish] = await published;
    await waitFor(() => service.received.length === 1, 3000, "the publish at the push service");
    expect(service.received[0]?.attrs).toMatchObject({ type: "set", id: publish.attrs.id, from: "bob@example.test", to: service.jid });
    const results = record(chain.server, "publish-result");
    const errors = record(chain.server, "publish-error");
    const answer = (from: string, to = "bob@example.test", type = "result") => xml("iq", { type, id: publish.attrs.id as string, from, to });
    return { service, impostor, results, errors, answer, alice };
  }

  it("a result from a different JID than the registration's push jid is not taken as the answer", async () => {
    const { service, impostor, results, errors, answer } = await publishPending();

    // Component stanzas are routed synchronously: had the server accepted it, the event would be out now.
    impostor.send(answer(impostor.jid));
    expect(results).toEqual([]);
    expect(errors).toEqual([]);

    // The real push service's answer is still awaited and accepted.
    service.send(answer(service.jid));
    expect(results.map(([registration]) => [registration.jid, registration.node])).toEqual([[service.jid, "n1"]]);
    expect(errors).toEqual([]);
  });

  it("an error from a different JID does not count against the registration", async () => {
    const { impostor, results, errors, answer } = await publishPending();
    const error = answer(impostor.jid, "bob@example.test", "error");
    error.append(xml("error", { type: "cancel" }, xml("item-not-found", { xmlns: NS.stanzas })));
    impostor.send(error);
    expect(errors).toEqual([]);
    expect(results).toEqual([]);
    expect(chain.server.registrations("bob").map((registration) => registration.node)).toEqual(["n1"]);
  });

  it("a result from the push service addressed to another account is not taken as the answer", async () => {
    const { service, results, answer } = await publishPending();
    service.send(answer(service.jid, "alice@example.test"));
    expect(results).toEqual([]);
    service.send(answer(service.jid));
    expect(results).toHaveLength(1);
  });
});
