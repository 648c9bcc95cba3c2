/**
 * T16: Tigase's push component keys a device by (account, provider, token) and gives every
 * device of an account the account's node (docs/notes/tigase-registrations.md).
 */

import { beforeEach, describe, expect, it } from "vitest";
import { getValue } from "../../../src/protocol/index.js";
import { ALICE, BOB, BOB_LAPTOP, HEX_128, publishIq, submit } from "../../helpers/app-server-fixtures.js";
import { useAppServer } from "../../helpers/app-server-harness.js";
import { errorOf } from "../../helpers/stanza-error.js";

const app = useAppServer();

beforeEach(() => app.start({ dialects: ["tigase"] }));

async function registerDevice(from: string, provider: string, token: string): Promise<string> {
  const response = await app.commandResponse(from, { node: "register-device", form: submit({ provider, "device-token": token }) });
  expect(response.status).toBe("completed");
  return getValue(response.form!, "node") ?? "";
}

async function unregisterDevice(from: string, provider: string, token: string): Promise<void> {
  const response = await app.commandResponse(from, { node: "unregister-device", form: submit({ provider, "device-token": token }) });
  expect(response.status).toBe("completed");
}

const tokensDelivered = () => app.server.deliveries.map((delivery) => delivery.token);

describe("the tigase dialect: one node per account (T16)", () => {
  it("two tokens of one account get the account's one node, and a publish to it reaches both devices", async () => {
    const phone = await registerDevice(BOB, "tigase:messenger:fcm:1", "fcm-phone");
    const laptop = await registerDevice(BOB_LAPTOP, "tigase:messenger:apns:1", "apns-laptop");
    expect(phone).toMatch(HEX_128);
    expect(laptop).toBe(phone);
    expect(app.server.registrations("bob@example.test").map((registration) => [registration.provider, registration.token, registration.node])).toEqual([
      ["fcm", "fcm-phone", phone],
      ["apns", "apns-laptop", phone],
    ]);

    const reply = await app.exchange(publishIq("example.test", phone, { summary: { messageCount: 1 } }));
    expect(reply.attrs.type).toBe("result");
    expect(tokensDelivered()).toEqual(["fcm-phone", "apns-laptop"]);
  });

  it("the same token registered again stays one device on the same node; another account's same token is its own device on its own node", async () => {
    const first = await registerDevice(BOB, "fcm", "shared-token");
    const again = await registerDevice(BOB_LAPTOP, "fcm", "shared-token");
    const alice = await registerDevice(ALICE, "fcm", "shared-token");
    expect(again).toBe(first);
    expect(alice).not.toBe(first);
    expect(app.server.registrations("bob@example.test")).toHaveLength(1);
    expect(app.server.registrations("alice@example.test")).toHaveLength(1);
  });

  it("unregistering one token leaves the account's other devices on the node; after the last one goes, a new registration gets the same node", async () => {
    const node = await registerDevice(BOB, "fcm", "fcm-phone");
    await registerDevice(BOB_LAPTOP, "fcm", "fcm-laptop");
    await unregisterDevice(BOB, "fcm", "fcm-phone");
    await app.exchange(publishIq("example.test", node, { summary: { messageCount: 1 } }));
    expect(tokensDelivered()).toEqual(["fcm-laptop"]);

    await unregisterDevice(BOB_LAPTOP, "fcm", "fcm-laptop");
    expect(app.server.registrations("bob@example.test")).toEqual([]);
    const unknown = await app.exchange(publishIq("example.test", node, { summary: { messageCount: 1 } }));
    expect(errorOf(unknown).condition).toBe("item-not-found");
    expect(await registerDevice(BOB, "fcm", "fcm-new")).toBe(node);
  });

  it("a token the provider rejects removes that device only: the publish still reaches the others", async () => {
    const node = await registerDevice(BOB, "fcm", "fcm-stale");
    await registerDevice(BOB_LAPTOP, "fcm", "fcm-laptop");
    app.server.failToken("fcm-stale");
    const reply = await app.exchange(publishIq("example.test", node, { summary: { messageCount: 1 } }));
    expect(reply.attrs.type).toBe("result");
    expect(tokensDelivered()).toEqual(["fcm-laptop"]);
    expect(app.server.registrations("bob@example.test").map((registration) => registration.token)).toEqual(["fcm-laptop"]);

    app.server.failToken("fcm-laptop");
    const refused = await app.exchange(publishIq("example.test", node, { summary: { messageCount: 1 } }));
    expect(errorOf(refused).condition).toBe("item-not-found");
    expect(app.server.registrations("bob@example.test")).toEqual([]);
  });

  it("each device counts against registrationsPerOwner; a held token registered again is never refused", async () => {
    app.start({ dialects: ["tigase"], registrationsPerOwner: 2 });
    await registerDevice(BOB, "fcm", "one");
    await registerDevice(BOB, "fcm", "two");
    await registerDevice(BOB, "fcm", "two");
    const full = await app.command(BOB, { node: "register-device", form: submit({ provider: "fcm", "device-token": "three" }) });
    expect(errorOf(full)).toMatchObject({ type: "wait", condition: "resource-constraint" });
  });
});
