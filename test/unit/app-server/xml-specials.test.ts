/**
 * XML specials and non-ASCII text in registration fields and in publish summaries (C11).
 */

import { describe, expect, it } from "vitest";
import type { Summary } from "../../../src/protocol/index.js";
import { BOB, publishIq } from "../../helpers/app-server-fixtures.js";
import { useAppServer } from "../../helpers/app-server-harness.js";

const app = useAppServer();
const { exchange, commandResponse, register } = app;

describe("C11 XML specials and non-ASCII", () => {
  const tricky = `<b>&amp; "quoted" 'single' — Grüße, 你好, 🚀 </b>`;

  it("A3: a device name and token with XML specials and non-ASCII survive registration and listing", async () => {
    const result = await register(BOB, "fcm", { token: `tok&<>"'ü`, "device-name": tricky, "device-id": "ид-1" });
    const [registration] = app.server.registrations();
    expect(registration).toMatchObject({ token: `tok&<>"'ü`, deviceName: tricky, deviceId: "ид-1", node: result.node });
    const listing = await commandResponse(BOB, { node: "list-push-registrations" });
    expect(listing.form?.items?.[0]?.find((field) => field.var === "device-name")?.values).toEqual([tricky]);
  });

  it("A6: summary values with XML specials and non-ASCII survive the publish", async () => {
    const bob = await register(BOB, "fcm", { token: "t" });
    const summary: Summary = { messageCount: 3, lastMessageSender: "jürgen@example.test/ü", lastMessageBody: tricky, extra: { "x-note": ["a<b", "c&d"] } };
    const reply = await exchange(publishIq("bob@example.test", bob.node, { secret: bob.secret, summary }));
    expect(reply.attrs.type).toBe("result");
    expect(app.server.deliveries.map((d) => d.summary)).toEqual([summary]);
  });
});
