import { xml } from "@xmpp/client";
import { describe, expect, it } from "vitest";
import { type Element, NS, PushError } from "../../../src/protocol/index.js";
import { createIqRouter } from "../../../src/sim/iq-router.js";

/** The one IQ router every simulator answers requests with. */

const request = (type: string, ...payload: Element[]) => xml("iq", { type, id: "q1", from: "a@example.test/r", to: "example.test" }, ...payload);
const errorOf = (reply: Element) => ({ type: reply.attrs.type, condition: reply.getChild("error")?.getChildElements()[0]?.name, errorType: reply.getChild("error")?.attrs.type });

describe("createIqRouter", () => {
  const router = createIqRouter<{ who: string }>()
    .get(NS.ping, "ping", () => undefined)
    .get(NS.discoInfo, "query", ({ context }) => xml("query", { xmlns: NS.discoInfo }, xml("identity", { name: context.who })))
    .set(NS.push, "enable", () => {
      throw new PushError("not-acceptable", "no");
    })
    .set(NS.commands, "command", async () => xml("command", { xmlns: NS.commands, status: "completed" }))
    .get("urn:bug", "bug", () => {
      throw new TypeError("a bug");
    });

  it("answers by (type, namespace, name) with a result addressed back, synchronously when the handler is", () => {
    const reply = router.handle(request("get", xml("query", { xmlns: NS.discoInfo })), { who: "me" }) as Element;
    expect(reply.attrs).toMatchObject({ type: "result", id: "q1", to: "a@example.test/r", from: "example.test" });
    expect(reply.getChild("query")?.getChild("identity")?.attrs.name).toBe("me");
    expect((router.handle(request("get", xml("ping", { xmlns: NS.ping })), { who: "" }) as Element).children).toEqual([]);
  });

  it("an asynchronous handler's reply comes as a promise", async () => {
    const reply = await router.handle(request("set", xml("command", { xmlns: NS.commands })), { who: "" });
    expect(reply.attrs.type).toBe("result");
    expect(reply.getChild("command")?.attrs.status).toBe("completed");
  });

  it("no handler → service-unavailable (cancel); the same payload with the other type has none either", () => {
    expect(errorOf(router.handle(request("set", xml("ping", { xmlns: NS.ping })), { who: "" }) as Element)).toEqual({ type: "error", condition: "service-unavailable", errorType: "cancel" });
    expect(errorOf(router.handle(request("get", xml("ping", { xmlns: "urn:other" })), { who: "" }) as Element).condition).toBe("service-unavailable");
  });

  it("not exactly one payload, or not a get/set → bad-request (modify)", () => {
    expect(errorOf(router.handle(request("get"), { who: "" }) as Element)).toEqual({ type: "error", condition: "bad-request", errorType: "modify" });
    const two = request("get", xml("ping", { xmlns: NS.ping }), xml("ping", { xmlns: NS.ping }));
    expect(errorOf(router.handle(two, { who: "" }) as Element).condition).toBe("bad-request");
    expect(errorOf(router.handle(request("result", xml("ping", { xmlns: NS.ping })), { who: "" }) as Element).condition).toBe("bad-request");
  });

  it("a refusal keeps its condition; any other throw is internal-server-error, never an exception", () => {
    expect(errorOf(router.handle(request("set", xml("enable", { xmlns: NS.push })), { who: "" }) as Element).condition).toBe("not-acceptable");
    expect(errorOf(router.handle(request("get", xml("bug", { xmlns: "urn:bug" })), { who: "" }) as Element).condition).toBe("internal-server-error");
  });

  it("one handler per (type, namespace, name)", () => {
    expect(() => createIqRouter().get(NS.ping, "ping", () => undefined).get(NS.ping, "ping", () => undefined)).toThrow(/already registered/);
  });
});
