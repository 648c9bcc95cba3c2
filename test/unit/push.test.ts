import { describe, expect, it } from "vitest";
import { EJABBERD_NOTIFICATION, PROSODY_NOTIFICATION, prosodyPublish } from "../fixtures/recorded-publishes.js";
import {
  buildDisable,
  buildEnable,
  buildForm,
  buildNotification,
  buildSummary,
  type DataForm,
  type Element,
  findForm,
  iqPayload,
  NS,
  parseDisable,
  parseEnable,
  parseForm,
  parseNotification,
  parsePublish,
  parseSummary,
  publishOptionValues,
  type Summary,
  xml,
} from "../../src/protocol/index.js";
import { parseXml, roundTrip } from "../helpers/parse-xml.js";
import { expectPushError } from "../helpers/push-error.js";

function fields(x: Element): Element[] {
  return x.getChildren("field");
}

describe("XEP-0357 <enable>", () => {
  it("C2: enable carries jid and node and, without publish-options, no form", () => {
    const enable = roundTrip(buildEnable({ jid: "push.example.net", node: "a8f3k2" }));
    expect(enable.is("enable", NS.push)).toBe(true);
    expect(enable.attrs).toEqual({ xmlns: NS.push, jid: "push.example.net", node: "a8f3k2" });
    expect(enable.getChildElements()).toHaveLength(0);
    expect(parseEnable(enable)).toStrictEqual({ jid: "push.example.net", node: "a8f3k2" });
  });

  it("C2: an empty publish-options record sends no form", () => {
    const enable = roundTrip(buildEnable({ jid: "push.example.net", node: "n", publishOptions: {} }));
    expect(enable.getChildElements()).toHaveLength(0);
  });

  it("C3: publish-options go in one submit form whose first field is the hidden pubsub#publish-options FORM_TYPE", () => {
    const enable = roundTrip(buildEnable({ jid: "push.example.net", node: "a8f3k2", publishOptions: { secret: "c0ffee" } }));
    const forms = enable.getChildren("x", NS.dataForms);
    expect(forms).toHaveLength(1);
    const x = forms[0]!;
    expect(x.attrs.type).toBe("submit");
    const [formType, secret, ...rest] = fields(x);
    expect(rest).toHaveLength(0);
    expect(formType?.attrs).toEqual({ var: "FORM_TYPE", type: "hidden" });
    expect(formType?.getChildText("value")).toBe("http://jabber.org/protocol/pubsub#publish-options");
    expect(secret?.attrs.var).toBe("secret");
    expect(secret?.getChildText("value")).toBe("c0ffee");

    const parsed = parseEnable(enable);
    expect(parsed.jid).toBe("push.example.net");
    expect(parsed.node).toBe("a8f3k2");
    expect(parsed.publishOptions?.toString()).toBe(x.toString());
    expect(publishOptionValues(parsed.publishOptions!)).toEqual({ secret: "c0ffee" });
  });

  it("C3: boolean, number and list publish-options serialize as XEP-0004 values", () => {
    const enable = roundTrip(
      buildEnable({
        jid: "push.example.net",
        node: "n",
        publishOptions: { secret: "s", silent: true, loud: false, ttl: 3600, topics: ["a", "b"] },
      }),
    );
    const form = parseForm(enable.getChild("x", NS.dataForms)!);
    expect(form).toEqual({
      type: "submit",
      formType: NS.publishOptions,
      fields: [
        { var: "secret", values: ["s"] },
        { var: "silent", values: ["1"] },
        { var: "loud", values: ["0"] },
        { var: "ttl", values: ["3600"] },
        { var: "topics", values: ["a", "b"] },
      ],
    });
  });

  it("C11: a publish-option value with XML specials and emoji survives enable → serialize → parse", () => {
    const secret = `s3cr3t<&>'"— 🔐 ключ`;
    const enable = roundTrip(buildEnable({ jid: "push.example.net", node: "n", publishOptions: { secret } }));
    expect(publishOptionValues(parseEnable(enable).publishOptions!)).toEqual({ secret });
  });

  it("server extensions (Tigase encrypt) are appended after the form and survive", () => {
    const encrypt = xml("encrypt", { xmlns: "tigase:push:encrypt:0", alg: "aes-128-gcm", "max-size": "3000" }, "S0VZ");
    const enable = roundTrip(buildEnable({ jid: "push.example.net", node: "n", publishOptions: { secret: "s" }, extensions: [encrypt] }));
    expect(enable.getChildElements().map((child) => `${child.name} ${String(child.getNS())}`)).toEqual([
      `x ${NS.dataForms}`,
      "encrypt tigase:push:encrypt:0",
    ]);
    expect(enable.getChild("encrypt", "tigase:push:encrypt:0")?.text()).toBe("S0VZ");
    expect(parseEnable(enable).publishOptions?.attrs.type).toBe("submit");
  });

  it("S2: buildEnable without jid → PushError('bad-request')", () => {
    expectPushError(() => buildEnable({ jid: "", node: "n" }), "bad-request");
  });

  it("S2: buildEnable without node → PushError('bad-request') (ejabberd refuses it)", () => {
    expectPushError(() => buildEnable({ jid: "push.example.net", node: "" }), "bad-request");
  });

  it("S2: parseEnable without jid → PushError('bad-request')", () => {
    const error = expectPushError(() => parseEnable(parseXml(`<enable xmlns='urn:xmpp:push:0' node='n'/>`)), "bad-request");
    expect(error.stanza?.name).toBe("enable");
  });

  it("parseEnable with an empty jid → PushError('bad-request')", () => {
    expectPushError(() => parseEnable(parseXml(`<enable xmlns='urn:xmpp:push:0' jid='' node='n'/>`)), "bad-request");
  });

  it("parseEnable without node is accepted with node undefined (Prosody accepts it; the server decides)", () => {
    expect(parseEnable(parseXml(`<enable xmlns='urn:xmpp:push:0' jid='push.example.net'/>`))).toStrictEqual({ jid: "push.example.net" });
  });

  it("C3: an enable form of type 'form' → PushError('bad-request') (ejabberd issue #3708)", () => {
    const enable = parseXml(
      `<enable xmlns='urn:xmpp:push:0' jid='push.example.net' node='n'>
         <x xmlns='jabber:x:data' type='form'>
           <field var='FORM_TYPE'><value>http://jabber.org/protocol/pubsub#publish-options</value></field>
           <field var='secret'><value>s</value></field>
         </x>
       </enable>`,
    );
    expectPushError(() => parseEnable(enable), "bad-request");
  });

  it("C3: a submit form with another FORM_TYPE → PushError('bad-request')", () => {
    const enable = parseXml(
      `<enable xmlns='urn:xmpp:push:0' jid='push.example.net' node='n'>
         <x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>urn:xmpp:push:summary</value></field></x>
       </enable>`,
    );
    expectPushError(() => parseEnable(enable), "bad-request");
  });

  it("C3: a submit form without FORM_TYPE → PushError('bad-request')", () => {
    const enable = parseXml(
      `<enable xmlns='urn:xmpp:push:0' jid='push.example.net' node='n'>
         <x xmlns='jabber:x:data' type='submit'><field var='secret'><value>s</value></field></x>
       </enable>`,
    );
    expectPushError(() => parseEnable(enable), "bad-request");
  });

  it("an enable form with an unknown field type → PushError('bad-request')", () => {
    const enable = parseXml(
      `<enable xmlns='urn:xmpp:push:0' jid='push.example.net' node='n'>
         <x xmlns='jabber:x:data' type='submit'><field var='secret' type='password'><value>s</value></field></x>
       </enable>`,
    );
    expectPushError(() => parseEnable(enable), "bad-request");
  });

  it("wrong namespace (urn:xmpp:push2:0) → PushError('bad-request')", () => {
    expectPushError(() => parseEnable(parseXml(`<enable xmlns='urn:xmpp:push2:0' jid='push.example.net' node='n'/>`)), "bad-request");
  });

  it("wrong element name → PushError('bad-request')", () => {
    expectPushError(() => parseEnable(parseXml(`<disable xmlns='urn:xmpp:push:0' jid='push.example.net' node='n'/>`)), "bad-request");
  });
});

describe("XEP-0357 <disable>", () => {
  it("C4: disable with node round-trips", () => {
    const disable = roundTrip(buildDisable({ jid: "push.example.net", node: "a8f3k2" }));
    expect(disable.attrs).toEqual({ xmlns: NS.push, jid: "push.example.net", node: "a8f3k2" });
    expect(parseDisable(disable)).toStrictEqual({ jid: "push.example.net", node: "a8f3k2" });
  });

  it("C4: disable without node (all registrations of that jid) has no node attribute", () => {
    for (const node of [undefined, ""]) {
      const disable = roundTrip(buildDisable(node === undefined ? { jid: "push.example.net" } : { jid: "push.example.net", node }));
      expect(disable.attrs).toEqual({ xmlns: NS.push, jid: "push.example.net" });
      expect(parseDisable(disable)).toStrictEqual({ jid: "push.example.net" });
    }
  });

  it("buildDisable without jid → PushError('bad-request')", () => {
    expectPushError(() => buildDisable({ jid: "" }), "bad-request");
  });

  it("parseDisable without jid → PushError('bad-request')", () => {
    expectPushError(() => parseDisable(parseXml(`<disable xmlns='urn:xmpp:push:0' node='n'/>`)), "bad-request");
  });

  it("wrong namespace or element name → PushError('bad-request')", () => {
    expectPushError(() => parseDisable(parseXml(`<disable xmlns='urn:xmpp:push:1' jid='p'/>`)), "bad-request");
    expectPushError(() => parseDisable(parseXml(`<enable xmlns='urn:xmpp:push:0' jid='p'/>`)), "bad-request");
  });
});

describe("XEP-0357 summary and <notification>", () => {
  it("S8: the summary is a submit form with FORM_TYPE urn:xmpp:push:summary, fields in a fixed order", () => {
    const summary: Summary = {
      messageCount: 2,
      lastMessageSender: "alice@example.com/phone",
      lastMessageBody: "Hi",
      pendingSubscriptionCount: 0,
    };
    const x = roundTrip(buildForm(buildSummary(summary)));
    expect(x.attrs.type).toBe("submit");
    expect(fields(x).map((field) => [field.attrs.var, field.getChildText("value")])).toEqual([
      ["FORM_TYPE", NS.pushSummary],
      ["message-count", "2"],
      ["pending-subscription-count", "0"],
      ["last-message-sender", "alice@example.com/phone"],
      ["last-message-body", "Hi"],
    ]);
    expect(parseSummary(parseForm(x))).toStrictEqual(summary);
  });

  it("S8: body and sender fields are left out when not given (privacy defaults)", () => {
    const x = roundTrip(buildForm(buildSummary({ messageCount: 1 })));
    expect(fields(x).map((field) => field.attrs.var)).toEqual(["FORM_TYPE", "message-count"]);
    expect(parseSummary(parseForm(x))).toStrictEqual({ messageCount: 1 });
  });

  it("buildSummary can produce a form of type 'form' (as Prosody does)", () => {
    const form = buildSummary({ lastMessageBody: "x" }, "form");
    expect(form.type).toBe("form");
    expect(parseSummary(parseForm(roundTrip(buildForm(form))))).toStrictEqual({ lastMessageBody: "x" });
  });

  it("extra server fields round-trip in extra", () => {
    const summary: Summary = { messageCount: 1, extra: { "last-message-priority": ["high"], "x-ids": ["a", "b"] } };
    expect(parseSummary(parseForm(roundTrip(buildForm(buildSummary(summary)))))).toStrictEqual(summary);
  });

  it("C11: a summary body and sender with XML specials and non-ASCII survive", () => {
    const summary: Summary = {
      lastMessageSender: "zoë@exämple.com/📱",
      lastMessageBody: `<script>alert("x")</script> & it's 🎉 — 你好`,
    };
    const notification = parseNotification(roundTrip(buildNotification({ summary })));
    expect(notification.summary).toStrictEqual(summary);
  });

  it("S7: buildNotification → <notification xmlns='urn:xmpp:push:0'> holding the summary form", () => {
    const element = roundTrip(buildNotification({ summary: { messageCount: 1, lastMessageBody: "Hi" } }));
    expect(element.is("notification", NS.push)).toBe(true);
    const [x, ...rest] = element.getChildElements();
    expect(rest).toHaveLength(0);
    expect(x?.is("x", NS.dataForms)).toBe(true);
    expect(parseNotification(element)).toStrictEqual({
      summary: { messageCount: 1, lastMessageBody: "Hi" },
      extensions: [],
    });
  });

  it("S7: an empty <notification/> is legal: no summary, no extensions", () => {
    const element = roundTrip(buildNotification());
    expect(element.toString()).toBe(`<notification xmlns="${NS.push}"/>`);
    expect(parseNotification(element)).toStrictEqual({ extensions: [] });
  });

  it("other children, including forms of other FORM_TYPEs, are kept as extensions in order", () => {
    const element = parseXml(
      `<notification xmlns='urn:xmpp:push:0'>
         <encrypted xmlns='tigase:push:encrypt:0' iv='abc'>payload</encrypted>
         <x xmlns='jabber:x:data' type='submit'>
           <field var='FORM_TYPE'><value>urn:xmpp:push:summary</value></field>
           <field var='message-count'><value>3</value></field>
         </x>
         <x xmlns='jabber:x:data' type='result'>
           <field var='FORM_TYPE'><value>urn:example:other</value></field>
         </x>
       </notification>`,
    );
    const notification = parseNotification(element);
    expect(notification.summary).toStrictEqual({ messageCount: 3 });
    expect(notification.extensions.map((child) => child.name)).toEqual(["encrypted", "x"]);
    expect(notification.extensions[0]?.text()).toBe("payload");
    expect(findForm(element, "urn:example:other")?.type).toBe("result");
    expect(parseForm(notification.extensions[1]!).formType).toBe("urn:example:other");
  });

  it("buildNotification appends extensions after the summary", () => {
    const element = roundTrip(buildNotification({ summary: { messageCount: 1 }, extensions: [xml("priority", { xmlns: "urn:example:p" }, "high")] }));
    expect(element.getChildElements().map((child) => child.name)).toEqual(["x", "priority"]);
    const parsed = parseNotification(element);
    expect(parsed.extensions.map((child) => child.toString())).toEqual([`<priority xmlns="urn:example:p">high</priority>`]);
  });

  it("a malformed form inside the notification → PushError('bad-request')", () => {
    expectPushError(
      () =>
        parseNotification(
          parseXml(
            `<notification xmlns='urn:xmpp:push:0'><x xmlns='jabber:x:data' type='submit'><field var='a'/><field var='a'/></x></notification>`,
          ),
        ),
      "bad-request",
    );
  });

  it("wrong namespace or element name → PushError('bad-request')", () => {
    expectPushError(() => parseNotification(parseXml(`<notification xmlns='urn:xmpp:push2:0'/>`)), "bad-request");
    expectPushError(() => parseNotification(parseXml(`<notify xmlns='urn:xmpp:push:0'/>`)), "bad-request");
  });
});

describe("parseSummary", () => {
  function summaryForm(fieldsXml: string, type = "submit"): DataForm {
    return parseForm(
      parseXml(
        `<x xmlns='jabber:x:data' type='${type}'><field var='FORM_TYPE'><value>urn:xmpp:push:summary</value></field>${fieldsXml}</x>`,
      ),
    );
  }

  it("S8: Prosody's notification form (type='form', empty fields left in, message-count 1)", () => {
    // Recorded from Prosody 0.12.3 + mod_cloud_notify (realservers.md), verbatim.
    const notification = parseXml(PROSODY_NOTIFICATION);
    const form = findForm(notification, NS.pushSummary)!;
    expect(form.type).toBe("form");
    expect(parseSummary(form)).toStrictEqual({ messageCount: 1, lastMessageBody: "New Message!" });
    expect(parseNotification(notification)).toStrictEqual({
      summary: { messageCount: 1, lastMessageBody: "New Message!" },
      extensions: [],
    });
  });

  it("S8: ejabberd's notification form (type='submit', no message-count, a label on the body)", () => {
    // Recorded from ejabberd 23.01 mod_push (realservers.md), verbatim.
    const notification = parseXml(EJABBERD_NOTIFICATION);
    expect(parseSummary(findForm(notification, NS.pushSummary)!)).toStrictEqual({ lastMessageBody: "New message" });
    expect(parseNotification(notification)).toStrictEqual({ summary: { lastMessageBody: "New message" }, extensions: [] });
  });

  it("S7/S8/S9: Prosody's whole publish IQ (from the domain, summary form, publish-options) parses", () => {
    // Recorded from Prosody 0.12.3 + mod_cloud_notify (realservers.md), the id shortened.
    const iq = parseXml(prosodyPublish({ to: "push.localhost", from: "localhost", id: "5f2c", node: "n1", secret: "s3cr3t" }));
    expect(iq.attrs.from).toBe("localhost");
    const publish = parsePublish(iqPayload(iq)!);
    expect(publish.node).toBe("n1");
    expect(publish.hasItem).toBe(true);
    expect(publish.publishOptions).toStrictEqual({
      type: "submit",
      formType: NS.publishOptions,
      fields: [{ var: "secret", values: ["s3cr3t"] }],
    });
    expect(parseNotification(publish.payload!)).toStrictEqual({
      summary: { messageCount: 1, lastMessageBody: "New Message!" },
      extensions: [],
    });
  });

  it("counts: surrounding whitespace is trimmed; empty, negative or non-numeric values read as absent", () => {
    expect(parseSummary(summaryForm(`<field var='message-count'><value> 3 </value></field>`))).toStrictEqual({ messageCount: 3 });
    for (const bad of ["", "-1", "1.5", "abc", "0x10", "1e3"]) {
      expect(parseSummary(summaryForm(`<field var='message-count'><value>${bad}</value></field>`))).toStrictEqual({});
    }
    expect(parseSummary(summaryForm(`<field var='pending-subscription-count'><value>7</value></field>`))).toStrictEqual({
      pendingSubscriptionCount: 7,
    });
  });

  it("an empty body or sender reads as absent", () => {
    expect(
      parseSummary(summaryForm(`<field var='last-message-body'><value></value></field><field var='last-message-sender'/>`)),
    ).toStrictEqual({});
  });

  it("unknown fields are kept in extra with all their values; fixed fields without var are ignored", () => {
    const summary = parseSummary(
      summaryForm(`<field type='fixed'><value>note</value></field><field var='x-a'><value>1</value><value>2</value></field><field var='x-b'/>`),
    );
    expect(summary).toStrictEqual({ extra: { "x-a": ["1", "2"], "x-b": [] } });
  });

  it("a form without the summary FORM_TYPE → PushError('bad-request')", () => {
    expectPushError(() => parseSummary({ type: "submit", fields: [] }), "bad-request");
    expectPushError(() => parseSummary({ type: "submit", formType: NS.publishOptions, fields: [] }), "bad-request");
  });
});
