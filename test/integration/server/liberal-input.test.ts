/**
 * Input that is not by the book but that both real servers accept, so the reference server does
 * too: a client written against them must not break on the simulator.
 */

import { xml } from "@xmpp/client";
import { describe, expect, it } from "vitest";
import { NS } from "../../../src/protocol/index.js";
import { APP_SERVER, type Chain, chat, goOffline, nextEvent } from "../../helpers/chain.js";
import { useChainSessions } from "../../helpers/client-sessions.js";
import { enable } from "../../helpers/push-iq.js";

let chain: Chain;
const { startChain } = useChainSessions();

/** The publish-options StanzaJS 12's enableNotifications() sends: FORM_TYPE twice. */
function stanzaJsPublishOptions(secret: string) {
  const formType = () => xml("field", { var: "FORM_TYPE", type: "hidden" }, xml("value", {}, NS.publishOptions));
  return xml("x", { xmlns: NS.dataForms, type: "submit" }, formType(), formType(), xml("field", { var: "secret" }, xml("value", {}, secret)));
}

describe("liberal where Prosody and ejabberd are", () => {
  it("an enable whose publish-options carry FORM_TYPE twice is accepted, and its publishes deliver", async () => {
    chain = startChain();
    const bob = await chain.device("bob");
    const registration = await bob.push.register({ appServer: APP_SERVER, provider: "fcm", token: "stanzajs-token" });

    const result = await bob.xmpp.iqCaller.request(enable(registration.jid, registration.node, stanzaJsPublishOptions(registration.secret ?? "")));
    expect(result.attrs.type).toBe("result");
    expect(chain.server.registrations("bob")).toEqual([{ jid: APP_SERVER, node: registration.node, publishOptions: { secret: registration.secret }, enabledAt: expect.any(Number) }]);

    await goOffline(chain, bob.xmpp);
    const alice = await chain.connect("alice", "laptop");
    const delivered = nextEvent(chain.appServer, "delivered");
    await alice.send(chat("bob@example.test", "hello"));
    const [delivery] = await delivered;
    expect(delivery).toMatchObject({ token: "stanzajs-token", node: registration.node });
  });
});
