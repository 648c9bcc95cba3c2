/**
 * Multi-stage ad-hoc sessions (execute, complete, next, cancel) and the XEP-0050 errors around
 * them: unknown, expired or foreign session ids, bad actions, unknown nodes.
 */

import { describe, expect, it } from "vitest";
import { buildCommandRequest, buildIq, type DataForm, getValue, NS, xml } from "../../../src/protocol/index.js";
import { ALICE, APP, BOB, BOB_LAPTOP, HEX_128, submit, webPushKeys } from "../../helpers/app-server-fixtures.js";
import { useAppServer } from "../../helpers/app-server-harness.js";
import { commandsSpecific, errorOf } from "../../helpers/stanza-error.js";

const app = useAppServer();
const { start, exchange, command, commandResponse } = app;

describe("A3 registration", () => {
  it("A3: multi-stage — execute without a form opens a session with the form, complete finishes it", async () => {
    const first = await commandResponse(BOB, { node: "register-push-apns" });
    expect(first.status).toBe("executing");
    expect(first.sessionid).toMatch(HEX_128);
    expect(first.actions).toEqual({ allowed: ["complete"], default: "complete" });
    expect(first.form?.type).toBe("form");
    expect(first.form?.fields.map((field) => [field.var, field.type, field.required ?? false])).toEqual([
      ["token", "text-single", true],
      ["silent-push", "boolean", false],
      ["device-id", "text-single", false],
      ["device-name", "text-single", false],
    ]);
    expect(first.form?.fields.map((field) => field.label)).toEqual([
      "Device token",
      "Silent push (content-available)",
      "Device ID",
      "Device name",
    ]);
    expect(app.server.registrations()).toEqual([]);

    const second = await commandResponse(BOB, {
      node: "register-push-apns",
      action: "complete",
      sessionid: first.sessionid,
      form: submit({ token: "apns-1" }),
    });
    expect(second.status).toBe("completed");
    expect(second.sessionid).toBe(first.sessionid);
    expect(getValue(second.form as DataForm, "node")).toBe(app.server.registrations()[0]?.node);

    const reused = await command(BOB, { node: "register-push-apns", action: "complete", sessionid: first.sessionid, form: submit({ token: "x" }) });
    expect(errorOf(reused)).toMatchObject({ type: "modify", condition: "bad-request" });
    expect(commandsSpecific(reused)).toBe("bad-sessionid");
  });

  it("A3: multi-stage — the webpush form asks for endpoint, p256dh and auth; action next also completes", async () => {
    const first = await commandResponse(BOB, { node: "register-push-webpush" });
    expect(first.form?.fields.map((field) => [field.var, field.required ?? false])).toEqual([
      ["endpoint", true],
      ["p256dh", true],
      ["auth", true],
      ["device-id", false],
      ["device-name", false],
    ]);
    const done = await commandResponse(BOB, {
      node: "register-push-webpush",
      action: "next",
      sessionid: first.sessionid,
      form: submit({ endpoint: "https://push.example.net/e1", ...webPushKeys() }),
    });
    expect(done.status).toBe("completed");
    expect(app.server.registrations().map((r) => r.token)).toEqual(["https://push.example.net/e1"]);
  });

  it("A3: multi-stage — cancel ends the session with status canceled and registers nothing", async () => {
    const first = await commandResponse(BOB, { node: "register-push-fcm" });
    const canceled = await commandResponse(BOB, { node: "register-push-fcm", action: "cancel", sessionid: first.sessionid });
    expect(canceled).toEqual({ node: "register-push-fcm", status: "canceled", sessionid: first.sessionid, notes: [] });
    const after = await command(BOB, { node: "register-push-fcm", action: "complete", sessionid: first.sessionid, form: submit({ token: "t" }) });
    expect(commandsSpecific(after)).toBe("bad-sessionid");
    expect(app.server.registrations()).toEqual([]);
  });

  it("A3: multi-stage — completing without the form is bad-payload and the session stays open", async () => {
    const first = await commandResponse(BOB, { node: "register-push-fcm" });
    const empty = await command(BOB, { node: "register-push-fcm", action: "complete", sessionid: first.sessionid });
    expect(errorOf(empty)).toMatchObject({ type: "modify", condition: "bad-request" });
    expect(commandsSpecific(empty)).toBe("bad-payload");
    const done = await commandResponse(BOB, { node: "register-push-fcm", action: "complete", sessionid: first.sessionid, form: submit({ token: "t" }) });
    expect(done.status).toBe("completed");
  });
});

describe("A10 ad-hoc session errors", () => {
  it("A10: an unknown sessionid is bad-request + bad-sessionid", async () => {
    const reply = await command(BOB, { node: "register-push-fcm", action: "complete", sessionid: "nope", form: submit({ token: "t" }) });
    expect(errorOf(reply)).toMatchObject({ type: "modify", condition: "bad-request", specific: "bad-sessionid" });
    expect(commandsSpecific(reply)).toBe("bad-sessionid");
  });

  it("A10: a session past the timeout is not-allowed + session-expired", async () => {
    start({ sessionTimeout: 60_000 });
    const first = await commandResponse(BOB, { node: "register-push-fcm" });
    app.clock += 60_001;
    const reply = await command(BOB, { node: "register-push-fcm", action: "complete", sessionid: first.sessionid, form: submit({ token: "t" }) });
    expect(errorOf(reply)).toMatchObject({ type: "cancel", condition: "not-allowed" });
    expect(commandsSpecific(reply)).toBe("session-expired");
    expect(app.server.registrations()).toEqual([]);
  });

  it("A10: a session within the timeout still completes", async () => {
    start({ sessionTimeout: 60_000 });
    const first = await commandResponse(BOB, { node: "register-push-fcm" });
    app.clock += 60_000;
    const done = await commandResponse(BOB, { node: "register-push-fcm", action: "complete", sessionid: first.sessionid, form: submit({ token: "t" }) });
    expect(done.status).toBe("completed");
  });

  it("A10: a session belongs to the full JID that opened it", async () => {
    const first = await commandResponse(BOB, { node: "register-push-fcm" });
    for (const intruder of [BOB_LAPTOP, ALICE]) {
      const reply = await command(intruder, { node: "register-push-fcm", action: "complete", sessionid: first.sessionid, form: submit({ token: "t" }) });
      expect(commandsSpecific(reply)).toBe("bad-sessionid");
    }
    const otherCommand = await command(BOB, { node: "register-push-gcm", action: "complete", sessionid: first.sessionid, form: submit({ token: "t" }) });
    expect(commandsSpecific(otherCommand)).toBe("bad-sessionid");
    expect(app.server.registrations()).toEqual([]);
  });

  it("A10: a non-execute action without a session is bad-request + bad-sessionid", async () => {
    for (const action of ["complete", "next", "cancel", "prev"] as const) {
      const reply = await command(BOB, { node: "register-push-fcm", action, form: submit({ token: "t" }) });
      expect(errorOf(reply)).toMatchObject({ type: "modify", condition: "bad-request" });
      expect(commandsSpecific(reply)).toBe("bad-sessionid");
    }
    expect(app.server.registrations()).toEqual([]);
  });

  it("A10: prev within a session is bad-request + bad-action", async () => {
    const first = await commandResponse(BOB, { node: "register-push-fcm" });
    const reply = await command(BOB, { node: "register-push-fcm", action: "prev", sessionid: first.sessionid });
    expect(commandsSpecific(reply)).toBe("bad-action");
  });

  it("A10: an unknown action is bad-request + malformed-action", async () => {
    const iq = buildIq({ type: "set", from: BOB, to: APP }, xml("command", { xmlns: NS.commands, node: "register-push-fcm", action: "dance" }));
    const reply = await exchange(iq);
    expect(errorOf(reply).condition).toBe("bad-request");
    expect(commandsSpecific(reply)).toBe("malformed-action");
  });

  it("A10: an unknown command node is cancel/item-not-found", async () => {
    const reply = await command(BOB, { node: "register-push-pigeon", form: submit({ token: "t" }) });
    expect(errorOf(reply)).toMatchObject({ type: "cancel", condition: "item-not-found" });
  });

  it("A10: a command without a from address is bad-request", async () => {
    const reply = await exchange(buildIq({ type: "set", to: APP }, buildCommandRequest({ node: "list-push-registrations" })));
    expect(errorOf(reply)).toMatchObject({ type: "modify", condition: "bad-request" });
  });
});

describe("open sessions are bounded", () => {
  it("a requester holds at most 16 open sessions: a 17th pushes out the oldest, the others still complete", async () => {
    const opened = [];
    for (let index = 0; index < 17; index++) opened.push(await commandResponse(BOB, { node: "register-push-fcm" }));
    const oldest = await command(BOB, { node: "register-push-fcm", action: "complete", sessionid: opened[0]?.sessionid, form: submit({ token: "t0" }) });
    expect(commandsSpecific(oldest)).toBe("bad-sessionid");
    const newest = await commandResponse(BOB, { node: "register-push-fcm", action: "complete", sessionid: opened[16]?.sessionid, form: submit({ token: "t16" }) });
    expect(newest.status).toBe("completed");
    const second = await commandResponse(BOB, { node: "register-push-fcm", action: "complete", sessionid: opened[1]?.sessionid, form: submit({ token: "t1", "device-id": "other" }) });
    expect(second.status).toBe("completed");
  });

  it("another requester's sessions do not count", async () => {
    const alices = await commandResponse(ALICE, { node: "register-push-fcm" });
    for (let index = 0; index < 20; index++) await commandResponse(BOB, { node: "register-push-fcm" });
    expect((await commandResponse(ALICE, { node: "register-push-fcm", action: "complete", sessionid: alices.sessionid, form: submit({ token: "a" }) })).status).toBe("completed");
  });
});
