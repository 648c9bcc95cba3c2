import { describe, expect, it } from "vitest";
import { tigase } from "../../src/client/dialects/tigase.js";
import { parseCommandRequest, parseCommandResponse } from "../../src/protocol/index.js";
import { REGISTER_DEVICE_REQUEST, REGISTER_DEVICE_RESPONSE, UNREGISTER_DEVICE_REQUEST } from "../fixtures/tigase/stanzas.js";
import { parseXml } from "../helpers/parse-xml.js";
import { catchPushError } from "../helpers/push-error.js";

const commandOf = (iq: string) => parseCommandRequest(parseXml(iq).getChild("command")!);

describe("the tigase dialect (T2, T3)", () => {
  it("T2: register-device carries provider, device-token and device-second-token, as TigaseSwift sends them", () => {
    const call = tigase.register({ provider: "tigase:messenger:apns:1", token: "apns-token-1", deviceId: "d1", fields: { "device-second-token": "pushkit-token-1" } });
    const expected = commandOf(REGISTER_DEVICE_REQUEST);
    expect(call.node).toBe(expected.node);
    expect(expected.action).toBe("execute");
    expect(call.values).toEqual(Object.fromEntries(expected.form!.fields.map((field) => [field.var, field.values[0]])));
  });

  it("T2: the result gives node, features and max-payload-size; the enable goes to the component; no secret", () => {
    const response = parseCommandResponse(parseXml(REGISTER_DEVICE_RESPONSE).getChild("command")!);
    expect(tigase.parseRegistered(response.form, "push.example.test")).toEqual({
      jid: "push.example.test",
      node: "4fd1b0a2-tigase-node",
      features: ["tigase:push:encrypt:aes-128-gcm", "tigase:push:priority:0"],
      maxPayloadSize: 3000,
    });
  });

  it("T2: a result without node is bad-response; a Web Push subscription is not a Tigase token", () => {
    expect(catchPushError(() => tigase.parseRegistered({ type: "result", fields: [] }, "push.example.test")).condition).toBe("bad-response");
    expect(catchPushError(() => tigase.parseRegistered(undefined, "push.example.test")).condition).toBe("bad-response");
    const subscription = { endpoint: "https://push.example/1", keys: { p256dh: "p", auth: "a" } };
    expect(catchPushError(() => tigase.register({ provider: "webpush", token: subscription, deviceId: "d" })).condition).toBe("not-supported");
  });

  it("T3: unregister-device carries provider and device-token only; without them, not-supported", () => {
    const call = tigase.unregister({ nodes: ["4fd1b0a2-tigase-node"], provider: "tigase:messenger:apns:1", token: "apns-token-1" });
    const expected = commandOf(UNREGISTER_DEVICE_REQUEST);
    expect(call.node).toBe(expected.node);
    expect(call.values).toEqual(Object.fromEntries(expected.form!.fields.map((field) => [field.var, field.values[0]])));
    expect(catchPushError(() => tigase.unregister({ nodes: ["n"] })).condition).toBe("not-supported");
  });

  it("T2: matches an app server offering register-device and unregister-device", () => {
    expect(tigase.matches(["register-device", "unregister-device"])).toBe(true);
    expect(tigase.matches(["register-push-fcm", "unregister-push"])).toBe(false);
  });
});
