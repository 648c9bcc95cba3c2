/**
 * Listing a user's registrations and unregistering them by device, by node or by resource —
 * only ever the requester's own.
 */

import { describe, expect, it } from "vitest";
import { type DataForm, getValues } from "../../../src/protocol/index.js";
import { ALICE, BOB, BOB_LAPTOP, submit, webPushKeys } from "../../helpers/app-server-fixtures.js";
import { useAppServer } from "../../helpers/app-server-harness.js";
import { errorOf } from "../../helpers/stanza-error.js";

const app = useAppServer();
const { command, commandResponse, register, recorded } = app;

describe("A5 list and unregister", () => {
  async function list(from: string): Promise<DataForm> {
    const response = await commandResponse(from, { node: "list-push-registrations" });
    expect(response.status).toBe("completed");
    return response.form as DataForm;
  }

  function rows(form: DataForm): Record<string, string[]>[] {
    return (form.items ?? []).map((item) => Object.fromEntries(item.map((field) => [field.var ?? "", field.values])));
  }

  it("A5: list shows only the requester's registrations, with node, device-id, device-name and provider", async () => {
    const bobPhone = await register(BOB, "fcm", { token: "b1", "device-name": "Phone" });
    const bobLaptop = await register(BOB_LAPTOP, "webpush", { endpoint: "https://push.example.net/b2", ...webPushKeys() });
    const alice = await register(ALICE, "apns", { token: "a1", "device-name": "Alice's tablet" });

    const bobs = await list(BOB_LAPTOP);
    expect(bobs.type).toBe("result");
    expect(bobs.reported?.map((field) => field.var)).toEqual(["node", "device-id", "device-name", "provider"]);
    expect(rows(bobs)).toEqual([
      { node: [bobPhone.node], "device-id": ["phone"], "device-name": ["Phone"], provider: ["fcm"] },
      { node: [bobLaptop.node], "device-id": ["laptop"], "device-name": [], provider: ["webpush"] },
    ]);
    expect(rows(await list(ALICE))).toEqual([
      { node: [alice.node], "device-id": ["tablet"], "device-name": ["Alice's tablet"], provider: ["apns"] },
    ]);
    expect(rows(await list("carol@example.test/x"))).toEqual([]);
  });

  it("A5: unregister by device-id removes that device's registrations and lists the removed nodes", async () => {
    const unregistered = recorded("unregistered");
    const phoneFcm = await register(BOB, "fcm", { token: "b1" });
    const phoneApns = await register(BOB, "apns", { token: "b2" });
    const laptop = await register(BOB_LAPTOP, "fcm", { token: "b3" });
    const response = await commandResponse(BOB_LAPTOP, { node: "unregister-push", form: submit({ "device-id": "phone" }) });
    expect(response.status).toBe("completed");
    expect(response.form?.fields).toEqual([{ var: "nodes", type: "list-multi", label: "Removed nodes", values: [phoneFcm.node, phoneApns.node] }]);
    expect(app.server.registrations().map((r) => r.node)).toEqual([laptop.node]);
    expect(unregistered.map((r) => r.node)).toEqual([phoneFcm.node, phoneApns.node]);
  });

  it("A5: unregister by nodes wins over device-id", async () => {
    const phone = await register(BOB, "fcm", { token: "b1" });
    const laptop = await register(BOB_LAPTOP, "fcm", { token: "b2" });
    const response = await commandResponse(BOB, { node: "unregister-push", form: submit({ nodes: [laptop.node], "device-id": "phone" }) });
    expect(getValues(response.form as DataForm, "nodes")).toEqual([laptop.node]);
    expect(app.server.registrations().map((r) => r.node)).toEqual([phone.node]);
  });

  it("A5: unregister without a form or fields removes the requesting resource's registrations", async () => {
    const phone = await register(BOB, "fcm", { token: "b1" });
    const laptop = await register(BOB_LAPTOP, "fcm", { token: "b2" });
    const response = await commandResponse(BOB, { node: "unregister-push" });
    expect(getValues(response.form as DataForm, "nodes")).toEqual([phone.node]);
    expect(app.server.registrations().map((r) => r.node)).toEqual([laptop.node]);
  });

  it("A5: nobody can unregister another user's registrations, by node or by device-id", async () => {
    const alice = await register("alice@example.test/phone", "fcm", { token: "a1" });
    const byNode = await commandResponse(BOB, { node: "unregister-push", form: submit({ nodes: [alice.node] }) });
    expect(getValues(byNode.form as DataForm, "nodes")).toEqual([]);
    const byDevice = await commandResponse(BOB, { node: "unregister-push", form: submit({ "device-id": "phone" }) });
    expect(getValues(byDevice.form as DataForm, "nodes")).toEqual([]);
    expect(app.server.registrations().map((r) => r.node)).toEqual([alice.node]);
  });

  it("A5: unregister without fields from a bare JID is bad-payload", async () => {
    const reply = await command("bob@example.test", { node: "unregister-push" });
    expect(errorOf(reply)).toMatchObject({ condition: "bad-request", specific: "bad-payload" });
  });

  it("A5: registrations(owner) filters by bare JID and hands out copies", async () => {
    await register(BOB, "fcm", { token: "b1" });
    await register(ALICE, "fcm", { token: "a1" });
    const [bobs, ...rest] = app.server.registrations("bob@example.test");
    expect(rest).toEqual([]);
    expect(bobs?.token).toBe("b1");
    if (bobs) {
      bobs.token = "tampered";
      bobs.fields.token = ["tampered"];
    }
    expect(app.server.registrations("bob@example.test")[0]?.token).toBe("b1");
    expect(app.server.registrations("bob@example.test")[0]?.fields.token).toEqual(["b1"]);
  });
});
