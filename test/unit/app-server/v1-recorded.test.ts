import { describe, expect, it } from "vitest";
import { createAppServer } from "../../../src/sim/index.js";
import type { RecordedExchange } from "../../fixtures/recorded-exchange.js";
import * as v1 from "../../fixtures/v1/exchanges.js";
import { type Captures, differences, recordedStanza } from "../../helpers/recorded-exchange.js";

/** The simulator's v1 dialect answers each recorded request as mod_push_appserver's source does, field by field. */
describe("v1 app server against the exchanges recorded from mod_push_appserver.lua (V1-1…V1-9)", () => {
  let clock = 0;
  const server = createAppServer({ jid: v1.V1_APP, dialects: ["v1"], now: () => clock, v1RateLimit: 50 });
  const captures: Captures = new Map();
  const send = (exchange: RecordedExchange) => server.handleIq(recordedStanza(exchange.request, captures));
  const answer = async (exchange: RecordedExchange) => differences(await send(exchange), exchange.response, captures);

  it.each([
    ["V1-1, V1-3: register", v1.V1_REGISTER],
    ["V1-4: the same node and type, a new token: the same secret", v1.V1_REREGISTER],
    ["V1-6: no token", v1.V1_REGISTER_NO_TOKEN],
    ["V1-7: a wrong secret", v1.V1_PUBLISH_WRONG_SECRET],
    ["V1-7: the secret", v1.V1_PUBLISH],
  ])("%s", async (_name, exchange) => {
    expect(await answer(exchange)).toEqual([]);
  });

  it("V1-4: the re-registration's new token is the one pushed to", () => {
    expect(server.deliveries.map((delivery) => delivery.token)).toEqual(["fcm-token-2"]);
  });

  it("V1-9: within the window the next push waits for its end; one more is refused wait/resource-constraint", async () => {
    clock += 10;
    const held = send(v1.V1_PUBLISH);
    expect(await answer(v1.V1_PUBLISH_RATE_LIMITED)).toEqual([]);
    clock += 100;
    expect(differences(await held, v1.V1_PUBLISH.response, captures)).toEqual([]);
    expect(server.deliveries).toHaveLength(2);
  });

  it("V1-5: unregister", async () => {
    expect(await answer(v1.V1_UNREGISTER)).toEqual([]);
    expect(server.registrations()).toEqual([]);
  });

  it("V1-3: the secret is 256 bits in hex, as an HMAC-SHA256 hex digest", () => {
    expect(captures.get("secret")).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("v1 app server: what the pairs do not show", () => {
  const errorOf = (reply: { getChild(name: string): { attrs: Record<string, string>; getChildElements(): { name: string }[] } | undefined }) => {
    const error = reply.getChild("error");
    return error && `${error.attrs.type}/${error.getChildElements()[0]?.name}`;
  };

  it("V1-2: a command without action='execute' is not handled (service-unavailable)", async () => {
    const server = createAppServer({ jid: v1.V1_APP, dialects: ["v1"] });
    const reply = await server.handleIq(recordedStanza(v1.V1_REGISTER.request.replace(' action="execute"', ""), new Map()));
    expect(errorOf(reply)).toBe("cancel/service-unavailable");
    expect(server.registrations()).toEqual([]);
  });

  it("V1-8: a failed push is wait/internal-server-error; a token FCM no longer knows also drops the node", async () => {
    let transient = true;
    const server = createAppServer({
      jid: v1.V1_APP,
      dialects: ["v1"],
      v1RateLimit: 0,
      providers: { fcm: { send: async () => (transient ? { ok: false, reason: "transient" } : { ok: false, reason: "token-invalid" }) } },
    });
    const captures: Captures = new Map();
    expect(differences(await server.handleIq(recordedStanza(v1.V1_REGISTER.request, captures)), v1.V1_REGISTER.response, captures)).toEqual([]);
    expect(errorOf(await server.handleIq(recordedStanza(v1.V1_PUBLISH.request, captures)))).toBe("wait/internal-server-error");
    expect(server.registrations()).toHaveLength(1);
    transient = false;
    expect(errorOf(await server.handleIq(recordedStanza(v1.V1_PUBLISH.request, captures)))).toBe("wait/internal-server-error");
    expect(server.registrations()).toEqual([]);
  });
});
