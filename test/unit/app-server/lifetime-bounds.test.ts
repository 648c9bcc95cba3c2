/**
 * What the app server keeps over its lifetime stays bounded: the recording providers keep the
 * latest `deliveryLimit` deliveries (every one still raises `delivered`), an account holds at most
 * `registrationsPerOwner` registrations, and the v1 throttle forgets nodes whose window passed.
 */

import { describe, expect, it } from "vitest";
import { formFromValues } from "../../../src/protocol/index.js";
import { Throttle } from "../../../src/sim/app-server/dialects/v1.js";
import type { AppServerContext } from "../../../src/sim/app-server/context.js";
import type { AppRegistration } from "../../../src/sim/index.js";
import { ALICE, BOB, publishIq } from "../../helpers/app-server-fixtures.js";
import { useAppServer } from "../../helpers/app-server-harness.js";
import { errorOf } from "../../helpers/stanza-error.js";

const app = useAppServer();
const { start, exchange, register, recorded, command } = app;

async function publishTimes(count: number, node: string, secret: string): Promise<void> {
  for (let index = 1; index <= count; index++) {
    const reply = await exchange(publishIq("example.test", node, { secret, summary: { messageCount: index } }));
    expect(reply.attrs.type).toBe("result");
  }
}

describe("A12: app server deliveries", () => {
  it("keep the latest deliveryLimit, oldest dropped, and delivered fires for every one", async () => {
    start({ deliveryLimit: 3 });
    const delivered = recorded("delivered");
    const bob = await register(BOB, "fcm", { token: "t" });
    await publishTimes(5, bob.node, bob.secret);
    expect(app.server.deliveries.map((delivery) => delivery.summary.messageCount)).toEqual([3, 4, 5]);
    expect(delivered.map((delivery) => delivery.summary.messageCount)).toEqual([1, 2, 3, 4, 5]);
  });

  it("under the limit keep every delivery, in order", async () => {
    start({ deliveryLimit: 3 });
    const bob = await register(BOB, "fcm", { token: "t" });
    await publishTimes(3, bob.node, bob.secret);
    expect(app.server.deliveries.map((delivery) => delivery.summary.messageCount)).toEqual([1, 2, 3]);
  });

  it("default to 10,000 kept", async () => {
    const bob = await register(BOB, "fcm", { token: "t" });
    // Straight to handleIq: the harness's exchange looks for each reply among all it sent.
    for (let index = 1; index <= 10_002; index++) {
      const iq = publishIq("example.test", bob.node, { secret: bob.secret, summary: { messageCount: index } });
      iq.attrs.id = `p${index}`;
      iq.attrs.to = "push.example.test";
      expect((await app.server.handleIq(iq)).attrs.type).toBe("result");
    }
    expect(app.server.deliveries).toHaveLength(10_000);
    expect(app.server.deliveries[0]!.summary.messageCount).toBe(3);
    expect(app.server.deliveries.at(-1)!.summary.messageCount).toBe(10_002);
  });

  it("refuse a limit that is not a positive integer", () => {
    for (const deliveryLimit of [0, -1, 1.5, Number.NaN]) expect(() => start({ deliveryLimit })).toThrow(RangeError);
    expect(() => start({ deliveryLimit: Number.POSITIVE_INFINITY })).not.toThrow();
  });
});

describe("A11: app server registrations per owner", () => {
  it("refuse a new registration past registrationsPerOwner with wait/resource-constraint, keeping the ones held", async () => {
    start({ registrationsPerOwner: 2 });
    const registered = recorded("registered");
    await register(BOB, "fcm", { token: "a", "device-id": "one" });
    await register(BOB, "apns", { token: "b", "device-id": "two" });
    const reply = await command(BOB, { node: "register-push-fcm", form: formFromValues("submit", undefined, { token: "c", "device-id": "three" }) });
    expect(errorOf(reply)).toMatchObject({ type: "wait", condition: "resource-constraint" });
    expect(app.server.registrations("bob@example.test").map((registration) => registration.deviceId)).toEqual(["one", "two"]);
    expect(registered).toHaveLength(2);
  });

  it("still take a re-registration of a held device, other accounts' registrations, and a new one after an unregister", async () => {
    start({ registrationsPerOwner: 2 });
    await register(BOB, "fcm", { token: "a", "device-id": "one" });
    const two = await register(BOB, "fcm", { token: "b", "device-id": "two" });
    await register(BOB, "fcm", { token: "a2", "device-id": "one" });
    await register(ALICE, "fcm", { token: "x", "device-id": "tablet" });
    expect(app.server.registrations("bob@example.test").map((registration) => [registration.deviceId, registration.token])).toEqual([
      ["one", "a2"],
      ["two", "b"],
    ]);
    const unregistered = await command(BOB, { node: "unregister-push", form: formFromValues("submit", undefined, { nodes: [two.node] }) });
    expect(unregistered.attrs.type).toBe("result");
    await register(BOB, "fcm", { token: "c", "device-id": "three" });
    expect(app.server.registrations("bob@example.test").map((registration) => registration.deviceId)).toEqual(["one", "three"]);
  });

  it("default to 100 per account", async () => {
    for (let index = 0; index < 100; index++) await register(BOB, "fcm", { token: `t${index}`, "device-id": `d${index}` });
    const reply = await command(BOB, { node: "register-push-fcm", form: formFromValues("submit", undefined, { token: "one-more", "device-id": "d100" }) });
    expect(errorOf(reply)).toMatchObject({ type: "wait", condition: "resource-constraint" });
    expect(app.server.registrations("bob@example.test")).toHaveLength(100);
  });
});

describe("A12: the v1 throttle", () => {
  it("forgets a node once its window has passed, and still holds back a second push inside it", async () => {
    let clock = 0;
    const context = { now: () => clock } as AppServerContext;
    const throttle = new Throttle(1_000);
    const registrationOf = (node: string) => ({ node }) as AppRegistration;
    for (let index = 0; index < 50; index++) await throttle.admit(context, registrationOf(`node${index}`));
    expect(throttle.size).toBe(50);
    clock = 1_001;
    await throttle.admit(context, registrationOf("fresh"));
    expect(throttle.size).toBe(1);
    // Inside its window the node's second push still waits for it, and a third is refused.
    void throttle.admit(context, registrationOf("fresh"));
    await expect(throttle.admit(context, registrationOf("fresh"))).rejects.toMatchObject({ condition: "resource-constraint" });
  });
});

