/**
 * What the app server does with a provider's answer: transient failures, throwing providers,
 * custom providers' successes, and the recording provider.
 */

import { describe, expect, it } from "vitest";
import { createRecordingProvider, type Delivery, type ProviderMessage, type ProviderResult } from "../../../src/sim/index.js";
import { BOB, publishIq } from "../../helpers/app-server-fixtures.js";
import { useAppServer } from "../../helpers/app-server-harness.js";
import { errorOf } from "../../helpers/stanza-error.js";

const app = useAppServer();
const { start, exchange, register, recorded } = app;

describe("providers", () => {
  function scripted(result: ProviderResult | Error): { sent: ProviderMessage[]; provider: { send(message: ProviderMessage): Promise<ProviderResult> } } {
    const messages: ProviderMessage[] = [];
    return {
      sent: messages,
      provider: {
        send(message) {
          messages.push(message);
          return result instanceof Error ? Promise.reject(result) : Promise.resolve(result);
        },
      },
    };
  }

  it("A8: a transient provider failure is wait/resource-constraint and keeps the registration", async () => {
    const { sent: messages, provider } = scripted({ ok: false, reason: "transient", retryAfter: 30_000 });
    start({ providers: { fcm: provider } });
    const delivered = recorded("delivered");
    const bob = await register(BOB, "fcm", { token: "t" });
    const reply = await exchange(publishIq("example.test", bob.node, { secret: bob.secret, summary: { messageCount: 1 } }));
    expect(errorOf(reply)).toMatchObject({
      type: "wait",
      condition: "resource-constraint",
      text: "the fcm push service is temporarily unavailable; retry after 30000 ms",
    });
    expect(app.server.registrations().map((r) => r.node)).toEqual([bob.node]);
    expect(messages.map((m) => [m.provider, m.token, m.node, m.summary, m.registration.secret])).toEqual([
      ["fcm", "t", bob.node, { messageCount: 1 }, bob.secret],
    ]);
    expect(delivered).toEqual([]);
    expect(app.server.deliveries).toEqual([]);
  });

  it("A8: a provider that throws is wait/internal-server-error and keeps the registration", async () => {
    const { provider } = scripted(new Error("socket hang up"));
    start({ providers: { fcm: provider } });
    const rejected = recorded("rejected");
    const bob = await register(BOB, "fcm", { token: "t" });
    const reply = await exchange(publishIq("example.test", bob.node, { secret: bob.secret }));
    expect(errorOf(reply)).toMatchObject({ type: "wait", condition: "internal-server-error", text: "the fcm provider failed: socket hang up" });
    expect(app.server.registrations()).toHaveLength(1);
    expect(rejected).toEqual([{ node: bob.node, from: "example.test", condition: "internal-server-error" }]);
  });

  it("A8: a custom provider's success is emitted as delivered but not recorded in deliveries", async () => {
    const { provider } = scripted({ ok: true });
    start({ providers: { fcm: provider } });
    const delivered = recorded("delivered");
    const bob = await register(BOB, "fcm", { token: "t" });
    await exchange(publishIq("example.test", bob.node, { secret: bob.secret }));
    expect(delivered.map((d) => [d.node, d.token, d.owner])).toEqual([[bob.node, "t", "bob@example.test"]]);
    expect(app.server.deliveries).toEqual([]);
  });

  it("createRecordingProvider records into the given array, which the app server exposes as deliveries", async () => {
    const deliveries: Delivery[] = [];
    const fcm = createRecordingProvider("fcm", deliveries, () => 42);
    start({ providers: { fcm }, deliveries });
    expect(app.server.deliveries).toBe(deliveries);
    const bob = await register(BOB, "fcm", { token: "t" });
    await exchange(publishIq("example.test", bob.node, { secret: bob.secret }));
    expect(deliveries.map((d) => [d.token, d.at])).toEqual([["t", 42]]);
    fcm.fail("t");
    const reply = await exchange(publishIq("example.test", bob.node, { secret: bob.secret }));
    expect(errorOf(reply).condition).toBe("item-not-found");
    expect(deliveries).toHaveLength(1);
  });
});
