import { describe, expect, it } from "vitest";
import { buildEnable, buildForm, buildPushOptionsForm, parseEnable, parseForm, parsePushOptionsForm, xml } from "../../src/protocol/index.js";
import { roundTrip } from "../helpers/parse-xml.js";
import { expectPushError } from "../helpers/push-error.js";

const PUSH_OPTIONS = "urn:xmpp:push:options";
const PUBLISH_OPTIONS = "http://jabber.org/protocol/pubsub#publish-options";

describe("royneary's urn:xmpp:push:options form", () => {
  it("R3: enable carries the options as a second submit form, booleans as 1/0, and reads back", () => {
    const enable = roundTrip(buildEnable({ jid: "push.example.net", node: "n1", publishOptions: { secret: "s" }, pushOptions: { includeSenders: false, includeMessageCount: true } }));
    const forms = enable.getChildren("x").map((x) => parseForm(x));
    expect(forms.map((form) => [form.type, form.formType])).toEqual([
      ["submit", PUBLISH_OPTIONS],
      ["submit", PUSH_OPTIONS],
    ]);
    expect(forms[1]?.fields.map((field) => [field.var, field.values])).toEqual([
      ["include-senders", ["0"]],
      ["include-message-count", ["1"]],
    ]);
    expect(parseEnable(enable).pushOptions).toEqual({ includeSenders: false, includeMessageCount: true });
  });

  it("R3: the two forms are read in either order; a third form or a second options form is bad-request", () => {
    const options = buildForm(buildPushOptionsForm({ includeMessageBodies: false }));
    const publish = buildForm({ type: "submit", formType: PUBLISH_OPTIONS, fields: [{ var: "secret", values: ["s"] }] });
    const first = parseEnable(xml("enable", { xmlns: "urn:xmpp:push:0", jid: "p", node: "n" }, options, publish));
    expect(first.pushOptions).toEqual({ includeMessageBodies: false });
    expect(first.publishOptions).toBe(publish);
    expectPushError(() => parseEnable(xml("enable", { xmlns: "urn:xmpp:push:0", jid: "p", node: "n" }, options, buildForm(buildPushOptionsForm({})))), "bad-request");
  });

  it("R3: 'true'/'false' read as booleans; anything else is not-acceptable; an empty record sends no form", () => {
    const form = { type: "submit" as const, formType: PUSH_OPTIONS, fields: [{ var: "include-senders", values: ["true"] }, { var: "include-message-count", values: ["false"] }] };
    expect(parsePushOptionsForm(form)).toEqual({ includeSenders: true, includeMessageCount: false });
    expectPushError(() => parsePushOptionsForm({ ...form, fields: [{ var: "include-senders", values: ["yes"] }] }), "not-acceptable");
    expect(buildEnable({ jid: "p", node: "n", pushOptions: {} }).getChildElements()).toHaveLength(0);
  });

  it("R1: the result form the server advertises types every field boolean", () => {
    const form = buildPushOptionsForm({ includeSenders: true, includeMessageCount: true, includeSubscriptionCount: false, includeMessageBodies: false }, "result");
    expect(form.type).toBe("result");
    expect(form.fields.every((field) => field.type === "boolean")).toBe(true);
    expect(parsePushOptionsForm(form)).toEqual({ includeSenders: true, includeMessageCount: true, includeSubscriptionCount: false, includeMessageBodies: false });
  });
});
