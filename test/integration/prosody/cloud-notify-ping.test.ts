/** Seed 003: the `cloud-notify-ping` event, as `server.cloudNotifyPing(username, { nodes? })`. */
import { afterEach, describe, expect, it } from "vitest";
import { PushError } from "../../../src/index.js";
import { deliveredAll, record, waitFor } from "../../helpers/chain.js";
import { prosody, type ProsodySetup } from "./setup.js";

let setup: ProsodySetup;
afterEach(() => setup?.close());

const SENTENCE = 'PT3 003: "The new event "cloud-notify-ping" can be used by any module to send out a cloud notification to either all registered endpoints for the given user or only the endpoints given in the event data."';

describe("cloud-notify-ping (seed 003)", () => {
  it(`${SENTENCE} — all`, async () => {
    setup = prosody();
    await setup.subscribed("bob", "phone", "phone-token");
    await setup.subscribed("bob", "tablet", "tablet-token");
    expect(setup.server.cloudNotifyPing("bob")).toBe(2);
    await waitFor(() => setup.appServer.deliveries.length === 2, 3000, "two pushes");
    expect(setup.appServer.deliveries.map((delivery) => delivery.token).sort()).toEqual(["phone-token", "tablet-token"]);
    // No message: no sender, no body.
    for (const delivery of setup.appServer.deliveries) expect(delivery.summary.lastMessageBody).toBeUndefined();
  });

  it(`${SENTENCE} — some`, async () => {
    setup = prosody();
    await setup.subscribed("bob", "phone", "phone-token");
    const tablet = await setup.subscribed("bob", "tablet", "tablet-token");
    const published = record(setup.server, "published");
    expect(setup.server.cloudNotifyPing("bob", { nodes: [tablet.node] })).toBe(1);
    await waitFor(() => setup.appServer.deliveries.length === 1, 3000, "one push");
    // The ping sends its publishes before it returns: once as many are delivered, none is still on its way.
    await deliveredAll(setup.appServer, () => published.length);
    expect(setup.appServer.deliveries.map((delivery) => delivery.token)).toEqual(["tablet-token"]);
    expect(setup.server.cloudNotifyPing("bob", { nodes: ["no-such-node"] })).toBe(0);
    expect(setup.server.cloudNotifyPing("alice")).toBe(0);
  });

  it("PT3: an unknown user is a typed error", () => {
    setup = prosody();
    expect(() => setup.server.cloudNotifyPing("nobody")).toThrow(PushError);
  });
});
