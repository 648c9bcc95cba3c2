/**
 * Registration forms the app server refuses as bad-payload: missing or invalid fields per
 * provider, no device to register, forms that are not a submit.
 */

import { describe, expect, it } from "vitest";
import { buildIq, type DataForm, formFromValues, NS, xml } from "../../../src/protocol/index.js";
import { APP, BOB, submit, webPushKeys } from "../../helpers/app-server-fixtures.js";
import { useAppServer } from "../../helpers/app-server-harness.js";
import { commandsSpecific, errorOf } from "../../helpers/stanza-error.js";

const app = useAppServer();
const { exchange, command, register } = app;

describe("A10 bad registration forms", () => {
  async function expectBadPayload(from: string, provider: string, form: DataForm, text: string): Promise<void> {
    const reply = await command(from, { node: `register-push-${provider}`, form });
    expect(errorOf(reply)).toEqual({ type: "modify", condition: "bad-request", specific: "bad-payload", text });
    expect(commandsSpecific(reply)).toBe("bad-payload");
  }

  it("A10: a missing token is bad-payload", async () => {
    await expectBadPayload(BOB, "fcm", submit({ "device-name": "x" }), "missing required field 'token'");
    await expectBadPayload(BOB, "fcm", submit({ token: "" }), "missing required field 'token'");
    expect(app.server.registrations()).toEqual([]);
  });

  it("A10: webpush needs endpoint, p256dh and auth, each valid", async () => {
    const keys = webPushKeys();
    const endpoint = "https://push.example.net/e";
    await expectBadPayload(BOB, "webpush", submit({ endpoint, auth: keys.auth }), "missing required field 'p256dh'");
    await expectBadPayload(BOB, "webpush", submit({ token: "t", p256dh: keys.p256dh, auth: keys.auth }), "missing required field 'endpoint'");
    await expectBadPayload(BOB, "webpush", submit({ endpoint: "not a url", ...keys }), "endpoint must be an absolute http(s) URL");
    await expectBadPayload(
      BOB,
      "webpush",
      submit({ endpoint, p256dh: keys.auth, auth: keys.auth }),
      "p256dh must be a base64url uncompressed P-256 public key (65 bytes)",
    );
    await expectBadPayload(BOB, "webpush", submit({ endpoint, p256dh: keys.p256dh, auth: "%%%" }), "auth must be a base64url 16-byte secret");
    expect(app.server.registrations()).toEqual([]);
  });

  it("A10: ubuntu needs application-id; apns silent-push must be a boolean", async () => {
    await expectBadPayload(BOB, "ubuntu", submit({ token: "t" }), "missing required field 'application-id'");
    await expectBadPayload(BOB, "apns", submit({ token: "t", "silent-push": "maybe" }), "field 'silent-push' must be a boolean (1, 0, true, false)");
  });

  it("A10: without device-id and without a resource there is no device to register", async () => {
    await expectBadPayload("bob@example.test", "fcm", submit({ token: "t" }), "no device-id given and no resource to default it to");
    await register("bob@example.test", "fcm", { token: "t", "device-id": "d1" });
    expect(app.server.registrations().map((r) => r.deviceId)).toEqual(["d1"]);
  });

  it("A10: a form that is not a submit, a token with two values, or a broken form is bad-payload", async () => {
    await expectBadPayload(BOB, "fcm", formFromValues("form", undefined, { token: "t" }), "registration form must be of type submit, got form");
    await expectBadPayload(BOB, "fcm", submit({ token: ["a", "b"] }), "field 'token' takes one value");
    const broken = xml(
      "command",
      { xmlns: NS.commands, node: "register-push-fcm", action: "execute" },
      xml("x", { xmlns: NS.dataForms, type: "submit" }, xml("field", {}, xml("value", {}, "t"))),
    );
    const reply = await exchange(buildIq({ type: "set", from: BOB, to: APP }, broken));
    expect(errorOf(reply)).toMatchObject({ condition: "bad-request", specific: "bad-payload" });
  });
});
