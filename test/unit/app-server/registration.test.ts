/**
 * Single-stage registration (XEP-0050 execute with a form) for every provider, and what
 * re-registering the same device or another one does.
 */

import { describe, expect, it } from "vitest";
import type { AppRegistration } from "../../../src/sim/index.js";
import { ALICE, APP, BOB, BOB_LAPTOP, HEX_128, submit, webPushKeys } from "../../helpers/app-server-fixtures.js";
import { useAppServer } from "../../helpers/app-server-harness.js";

const app = useAppServer();
const { commandResponse, register, recorded } = app;

describe("A3 registration", () => {
  it("A3: a single-stage register returns jid, node and secret of 128 random bits each", async () => {
    const registered = recorded("registered");
    const result = await register(BOB, "fcm", { token: "fcm-token-1", "device-name": "Bob's phone" });
    expect(result.jid).toBe(APP);
    expect(result.node).toMatch(HEX_128);
    expect(result.secret).toMatch(HEX_128);
    expect(result.secret).not.toBe(result.node);
    const expected: AppRegistration = {
      owner: "bob@example.test",
      provider: "fcm",
      deviceId: "phone",
      dialect: "mod-push",
      deviceName: "Bob's phone",
      token: "fcm-token-1",
      node: result.node,
      secret: result.secret,
      fields: { token: ["fcm-token-1"], "device-name": ["Bob's phone"] },
      createdAt: app.clock,
    };
    expect(app.server.registrations()).toEqual([expected]);
    expect(registered).toEqual([expected]);
  });

  it("A3: every registration gets its own node and secret", async () => {
    const first = await register(BOB, "fcm", { token: "a" });
    const second = await register(BOB_LAPTOP, "fcm", { token: "b" });
    const third = await register(ALICE, "fcm", { token: "c" });
    expect(new Set([first.node, second.node, third.node, first.secret, second.secret, third.secret]).size).toBe(6);
  });

  it("A3: the result form carries typed jid, node and secret fields", async () => {
    const response = await commandResponse(BOB, { node: "register-push-gcm", form: submit({ token: "g" }) });
    expect(response.form?.fields.map((field) => [field.var, field.type])).toEqual([
      ["jid", "jid-single"],
      ["node", "text-single"],
      ["secret", "text-private"],
    ]);
    expect(response.sessionid).toMatch(HEX_128);
  });

  it("A3: each royneary provider registers with a token; device-id overrides the resource", async () => {
    for (const provider of ["apns", "gcm", "fcm", "mozilla", "wns"]) {
      await register(BOB, provider, { token: `${provider}-token`, "device-id": `dev-${provider}` });
    }
    expect(app.server.registrations().map((r) => [r.provider, r.token, r.deviceId])).toEqual([
      ["apns", "apns-token", "dev-apns"],
      ["gcm", "gcm-token", "dev-gcm"],
      ["fcm", "fcm-token", "dev-fcm"],
      ["mozilla", "mozilla-token", "dev-mozilla"],
      ["wns", "wns-token", "dev-wns"],
    ]);
  });

  it("A3: apns keeps silent-push and ubuntu application-id among the registration's fields", async () => {
    await register(BOB, "apns", { token: "apns-token", "silent-push": true });
    await register(BOB_LAPTOP, "ubuntu", { token: "ubuntu-token", "application-id": "com.example.app" });
    const [apns, ubuntu] = app.server.registrations();
    expect(apns?.fields).toEqual({ token: ["apns-token"], "silent-push": ["1"] });
    expect(ubuntu?.fields).toEqual({ token: ["ubuntu-token"], "application-id": ["com.example.app"] });
    expect(ubuntu?.deviceId).toBe("laptop");
  });

  it("A3: webpush registers a subscription; its endpoint is the token", async () => {
    const keys = webPushKeys();
    const endpoint = "https://push.example.net/wpush/v2/abc?x=1&y=2";
    await register(BOB, "webpush", { endpoint, ...keys });
    const [registration] = app.server.registrations();
    expect(registration?.token).toBe(endpoint);
    expect(registration?.fields).toEqual({ endpoint: [endpoint], p256dh: [keys.p256dh], auth: [keys.auth] });
  });
});

describe("A4 re-registration", () => {
  it("A4: re-registering the same device keeps node and secret and replaces the token", async () => {
    const first = await register(BOB, "fcm", { token: "old-token", "device-name": "Old name" });
    app.clock += 5_000;
    const second = await register(BOB, "fcm", { token: "new-token" });
    expect(second).toEqual(first);
    expect(app.server.registrations()).toEqual([
      {
        owner: "bob@example.test",
        provider: "fcm",
        deviceId: "phone",
        dialect: "mod-push",
        token: "new-token",
        node: first.node,
        secret: first.secret,
        fields: { token: ["new-token"] },
        createdAt: app.clock - 5_000,
      },
    ]);
  });

  it("A4: another device, another provider or another user is another registration", async () => {
    const base = await register(BOB, "fcm", { token: "t1" });
    const otherDevice = await register(BOB_LAPTOP, "fcm", { token: "t1" });
    const otherProvider = await register(BOB, "apns", { token: "t1" });
    const otherUser = await register("alice@example.test/phone", "fcm", { token: "t1" });
    expect(new Set([base.node, otherDevice.node, otherProvider.node, otherUser.node]).size).toBe(4);
    expect(app.server.registrations()).toHaveLength(4);
  });

  it("A4: the same device-id from another resource of the same account replaces too", async () => {
    const first = await register(BOB, "fcm", { token: "t1", "device-id": "shared" });
    const second = await register(BOB_LAPTOP, "fcm", { token: "t2", "device-id": "shared" });
    expect(second.node).toBe(first.node);
    expect(app.server.registrations().map((r) => r.token)).toEqual(["t2"]);
  });
});
