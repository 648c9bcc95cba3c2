import { describe, expect, it } from "vitest";
import { createAppServer } from "../../../src/sim/index.js";
import * as p2 from "../../fixtures/p2/exchanges.js";
import type { RecordedExchange } from "../../fixtures/recorded-exchange.js";
import { type Captures, differences, recordedStanza } from "../../helpers/recorded-exchange.js";

/** The simulator's p2 dialect answers each recorded request as p2's source does, field by field. */
describe("p2 app server against the exchanges recorded from PushController.java (P2-1…P2-8)", () => {
  const server = createAppServer({ jid: p2.P2_APP, dialects: ["p2"] });
  const captures: Captures = new Map();
  const answer = async (exchange: RecordedExchange) => differences(await server.handleIq(recordedStanza(exchange.request, captures)), exchange.response, captures);

  // One sequence: the node and secret the first register hands out are those the later pairs name.
  it.each([
    ["P2-1, P2-3: register", p2.P2_REGISTER],
    ["P2-1, P2-4: the legacy android-id, a new token: the same node and secret", p2.P2_REGISTER_ANDROID_ID],
    ["P2-1: a full JID as muc", p2.P2_REGISTER_FULL_MUC],
    ["P2-6: an unknown service", p2.P2_REGISTER_UNKNOWN_SERVICE],
    ["P2-1: no token", p2.P2_REGISTER_NO_TOKEN],
    ["P2-7: a wrong secret", p2.P2_PUBLISH_WRONG_SECRET],
    ["P2-7: a full JID publisher", p2.P2_PUBLISH_FULL_JID],
    ["P2-7: another domain's server", p2.P2_PUBLISH_OTHER_DOMAIN],
    ["P2-7: the account's server with the secret", p2.P2_PUBLISH],
    ["P2-5: unregister", p2.P2_UNREGISTER],
    ["P2-5: unregister again", p2.P2_UNREGISTER_AGAIN],
  ])("%s", async (_name, exchange) => {
    expect(await answer(exchange)).toEqual([]);
  });

  it("P2-3: node and secret are base64 of 9 and 18 random bytes, as p2's Utils.random(3) and (6)", () => {
    expect(captures.get("node")).toMatch(/^[A-Za-z0-9+/]{12}$/);
    expect(captures.get("secret")).toMatch(/^[A-Za-z0-9+/]{24}$/);
  });

  it("the comparison notices a difference (a test that cannot fail is a defect)", async () => {
    const other = createAppServer({ jid: p2.P2_APP });
    expect(await answer.call(undefined, p2.P2_REGISTER_FULL_MUC)).toEqual([]);
    expect(differences(await other.handleIq(recordedStanza(p2.P2_REGISTER.request, new Map())), p2.P2_REGISTER.response)).not.toEqual([]);
  });
});

describe("p2 app server: what the pairs do not show", () => {
  const command = (action: string | undefined) =>
    recordedStanza(p2.P2_REGISTER.request.replace(' action="execute"', action === undefined ? "" : ` action="${action}"`), new Map());

  it("P2-2: a command without an explicit action='execute' is bad-request", async () => {
    const server = createAppServer({ jid: p2.P2_APP, dialects: ["p2"] });
    for (const action of [undefined, "complete"]) {
      const reply = await server.handleIq(command(action));
      expect(reply.getChild("error")?.getChildElements()[0]?.name).toBe("bad-request");
    }
    expect(server.registrations()).toEqual([]);
  });

  it("P2-8: a token FCM no longer knows is item-not-found, a failed send recipient-unavailable", async () => {
    let transient = false;
    const server = createAppServer({
      jid: p2.P2_APP,
      dialects: ["p2"],
      providers: { fcm: { send: async () => (transient ? { ok: false, reason: "transient" } : { ok: false, reason: "token-invalid" }) } },
    });
    const captures: Captures = new Map();
    expect(differences(await server.handleIq(recordedStanza(p2.P2_REGISTER.request, captures)), p2.P2_REGISTER.response, captures)).toEqual([]);
    const publish = () => server.handleIq(recordedStanza(p2.P2_PUBLISH.request, captures));
    expect((await publish()).getChild("error")?.getChildElements()[0]?.name).toBe("item-not-found");
    // p2 keeps the target: only the user's server gives up on it.
    expect(server.registrations()).toHaveLength(1);
    transient = true;
    expect((await publish()).getChild("error")?.getChildElements()[0]?.name).toBe("recipient-unavailable");
  });
});
