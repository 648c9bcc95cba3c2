import { describe, expect, it } from "vitest";
import {
  buildField,
  buildForm,
  type DataForm,
  type Element,
  findForm,
  formFromValues,
  formValues,
  getField,
  getValue,
  getValues,
  NS,
  parseBoolean,
  parseForm,
  xml,
} from "../../src/protocol/index.js";
import { parseXml, roundTrip } from "../helpers/parse-xml.js";
import { expectPushError } from "../helpers/push-error.js";

/** build → toString() → streaming parser → parseForm */
function formRoundTrip(form: DataForm): DataForm {
  return parseForm(roundTrip(buildForm(form)));
}

function fieldElements(x: Element): Element[] {
  return x.getChildElements().filter((child) => child.name === "field");
}

describe("XEP-0004 data forms: build → serialize → parse", () => {
  it("C3: a formType is serialized as the first field, hidden FORM_TYPE, and lifted back into formType", () => {
    const form: DataForm = {
      type: "submit",
      formType: NS.publishOptions,
      fields: [{ var: "secret", values: ["c0ffee"] }],
    };
    const x = roundTrip(buildForm(form));

    expect(x.is("x", NS.dataForms)).toBe(true);
    expect(x.attrs.type).toBe("submit");
    const [first, second, ...rest] = fieldElements(x);
    expect(rest).toHaveLength(0);
    expect(first?.attrs).toEqual({ var: "FORM_TYPE", type: "hidden" });
    expect(first?.getChildText("value")).toBe(NS.publishOptions);
    expect(second?.attrs).toEqual({ var: "secret" });
    expect(second?.getChildText("value")).toBe("c0ffee");

    const parsed = parseForm(x);
    expect(parsed).toEqual(form);
    expect(parsed.fields.map((field) => field.var)).toEqual(["secret"]);
  });

  it("a form without formType has no FORM_TYPE field and parses without formType", () => {
    const x = roundTrip(buildForm({ type: "submit", fields: [{ var: "token", values: ["abc"] }] }));
    expect(fieldElements(x).map((field) => field.attrs.var)).toEqual(["token"]);
    const parsed = parseForm(x);
    expect("formType" in parsed).toBe(false);
    expect(parsed).toEqual({ type: "submit", fields: [{ var: "token", values: ["abc"] }] });
  });

  it("round-trips title, instructions and every field type with label, desc and required", () => {
    const form: DataForm = {
      type: "form",
      formType: "urn:example:register",
      title: "Register a device",
      instructions: ["Fill in the token.", "The device name is optional."],
      fields: [
        { var: "silent", type: "boolean", label: "Silent push", values: ["1"] },
        { type: "fixed", values: ["Section one"] },
        { var: "hidden-thing", type: "hidden", values: ["h"] },
        { var: "admins", type: "jid-multi", values: ["a@example.com", "b@example.com"] },
        { var: "owner", type: "jid-single", values: ["bob@example.com"] },
        {
          var: "features",
          type: "list-multi",
          options: [{ value: "x" }, { value: "y", label: "Y" }],
          values: ["x", "y"],
        },
        { var: "provider", type: "list-single", options: [{ label: "FCM", value: "fcm" }], values: ["fcm"] },
        { var: "notes", type: "text-multi", values: ["line 1", "line 2"] },
        { var: "password", type: "text-private", values: ["hunter2"] },
        {
          var: "token",
          type: "text-single",
          label: "Token",
          desc: "The platform token",
          required: true,
          values: ["t0k3n"],
        },
      ],
    };
    expect(formRoundTrip(form)).toEqual(form);
  });

  it("multi-valued fields keep every value, in order, including repeated ones", () => {
    const form: DataForm = {
      type: "submit",
      fields: [
        { var: "nodes", type: "list-multi", values: ["n3", "n1", "n2", "n1"] },
        { var: "jids", type: "jid-multi", values: ["c@example.com", "a@example.com"] },
        { var: "body", type: "text-multi", values: ["first line", "", "third line"] },
      ],
    };
    const parsed = formRoundTrip(form);
    expect(getValues(parsed, "nodes")).toEqual(["n3", "n1", "n2", "n1"]);
    expect(getValues(parsed, "jids")).toEqual(["c@example.com", "a@example.com"]);
    expect(getValues(parsed, "body")).toEqual(["first line", "", "third line"]);
    expect(getValue(parsed, "nodes")).toBe("n3");
  });

  it("list fields keep their <option>s with and without labels", () => {
    const form: DataForm = {
      type: "form",
      fields: [
        {
          var: "urgency",
          type: "list-single",
          label: "Urgency",
          options: [
            { label: "Very low", value: "very-low" },
            { value: "normal" },
            { label: "High", value: "high" },
          ],
          values: ["normal"],
        },
      ],
    };
    const parsed = formRoundTrip(form);
    expect(getField(parsed, "urgency")?.options).toEqual([
      { label: "Very low", value: "very-low" },
      { value: "normal" },
      { label: "High", value: "high" },
    ]);
    expect(getField(parsed, "urgency")?.values).toEqual(["normal"]);
  });

  it("reported/item result forms (XEP-0004 §3.4) round-trip column headers and rows", () => {
    const form: DataForm = {
      type: "result",
      formType: "urn:example:registrations",
      title: "Your registrations",
      fields: [],
      reported: [
        { var: "node", type: "text-single", label: "Node", values: [] },
        { var: "device-name", type: "text-single", label: "Device", values: [] },
      ],
      items: [
        [
          { var: "node", values: ["n1"] },
          { var: "device-name", values: ["Phone"] },
        ],
        [
          { var: "node", values: ["n2"] },
          { var: "device-name", values: ["Tablet"] },
        ],
      ],
    };
    const x = roundTrip(buildForm(form));
    expect(x.getChildren("item")).toHaveLength(2);
    expect(x.getChild("reported")?.getChildren("field")).toHaveLength(2);

    const parsed = parseForm(x);
    expect(parsed).toEqual(form);
    expect(parsed.items?.map((row) => row.map((field) => field.values[0]))).toEqual([
      ["n1", "Phone"],
      ["n2", "Tablet"],
    ]);
  });

  it("buildForm writes title, instructions, fields, then <reported>, then <item>s (XEP-0004 schema order)", () => {
    const x = roundTrip(
      buildForm({
        type: "result",
        formType: "urn:example:registrations",
        title: "Your registrations",
        instructions: ["One row per device"],
        reported: [{ var: "node", values: [] }],
        items: [[{ var: "node", values: ["n1"] }], [{ var: "node", values: ["n2"] }]],
        fields: [{ var: "count", values: ["2"] }],
      }),
    );
    expect(x.getChildElements().map((child) => (child.name === "field" ? `field:${child.attrs.var}` : child.name))).toEqual([
      "title",
      "instructions",
      "field:FORM_TYPE",
      "field:count",
      "reported",
      "item",
      "item",
    ]);
  });

  it("FORM_TYPE given twice with the same value is read as one (StanzaJS 12 sends that; Prosody and ejabberd accept it)", () => {
    const form = parseForm(
      parseXml(
        `<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>${NS.publishOptions}</value></field><field var='FORM_TYPE' type='hidden'><value>${NS.publishOptions}</value></field><field var='secret'><value>s</value></field></x>`,
      ),
    );
    expect(form.formType).toBe(NS.publishOptions);
    expect(form.fields).toEqual([{ var: "secret", values: ["s"] }]);
  });

  it("the same var in different <item>s is not a duplicate", () => {
    const x = parseXml(
      `<x xmlns='jabber:x:data' type='result'>
         <reported><field var='node'/></reported>
         <item><field var='node'><value>a</value></field></item>
         <item><field var='node'><value>b</value></field></item>
       </x>`,
    );
    expect(parseForm(x).items).toEqual([[{ var: "node", values: ["a"] }], [{ var: "node", values: ["b"] }]]);
  });

  it("C11: values, labels, title and instructions with < & ' \" and non-ASCII (incl. emoji) survive", () => {
    const tricky = `<b>Tom & "Jerry"</b> it's 1 < 2 > 0 &amp; &lt; ]]>`;
    const unicode = "Grüße — 日本語 — emoji 🎉👍🏽 — ZWJ 👩‍👩‍👧 — RTL עברית";
    const form: DataForm = {
      type: "submit",
      formType: `urn:example:${"<&'\">"}`,
      title: `${tricky} ${unicode}`,
      instructions: [tricky, unicode],
      fields: [
        { var: "body", label: `Label ${tricky} ${unicode}`, values: [tricky, unicode] },
        { var: "sender", values: [`Zoë <zoe@exämple.com> ${"🚀"}`] },
        {
          var: "choice",
          type: "list-single",
          options: [{ label: `${tricky}`, value: `${unicode}` }],
          values: [unicode],
        },
        { var: `weird-'"<&>-var-ü🎉`, values: ["  leading and trailing spaces  "] },
      ],
    };
    const serialized = buildForm(form).toString();
    expect(serialized).not.toContain("<b>");
    expect(serialized).toContain("&lt;b&gt;Tom &amp; ");

    const parsed = parseForm(parseXml(serialized));
    expect(parsed).toEqual(form);
    expect(getValue(parsed, "body")).toBe(tricky);
    expect(getValues(parsed, "body")[1]).toBe(unicode);
  });

  it("an empty field (no <value/>) reads as no values, an empty <value/> as one empty string (Prosody sends both)", () => {
    const x = parseXml(
      `<x xmlns='jabber:x:data' type='form'>
         <field var='pending-subscription-count' type='text-single'/>
         <field var='empty-value'><value/></field>
       </x>`,
    );
    const form = parseForm(x);
    expect(getField(form, "pending-subscription-count")).toEqual({
      var: "pending-subscription-count",
      type: "text-single",
      values: [],
    });
    expect(getValues(form, "empty-value")).toEqual([""]);
    expect(getValue(form, "empty-value")).toBeUndefined();
    expect(getValue(form, "pending-subscription-count")).toBeUndefined();
  });

  it("a form without fields is legal", () => {
    expect(formRoundTrip({ type: "cancel", fields: [] })).toEqual({ type: "cancel", fields: [] });
  });

  it("fixed fields may omit var", () => {
    const form = parseForm(parseXml(`<x xmlns='jabber:x:data' type='form'><field type='fixed'><value>Note</value></field></x>`));
    expect(form.fields).toEqual([{ type: "fixed", values: ["Note"] }]);
  });

  it("the hidden FORM_TYPE field is lifted into formType even when it is not first", () => {
    const form = parseForm(
      parseXml(
        `<x xmlns='jabber:x:data' type='result'>
           <field var='a'><value>1</value></field>
           <field var='FORM_TYPE' type='hidden'><value>urn:example:late</value></field>
         </x>`,
      ),
    );
    expect(form.formType).toBe("urn:example:late");
    expect(form.fields).toEqual([{ var: "a", values: ["1"] }]);
    expect(getField(form, "FORM_TYPE")).toBeUndefined();
    expect(formValues(form)).toEqual({ a: ["1"] });
  });

  it("each form type round-trips: form, submit, cancel, result", () => {
    for (const type of ["form", "submit", "cancel", "result"] as const) {
      expect(formRoundTrip({ type, fields: [] }).type).toBe(type);
    }
  });
});

describe("XEP-0004 booleans", () => {
  it.each([
    ["1", true],
    ["true", true],
    ["0", false],
    ["false", false],
  ] as const)("parseBoolean(%j) is %j", (value, expected) => {
    expect(parseBoolean(value)).toBe(expected);
  });

  it.each([["yes"], ["TRUE"], ["False"], [""], [" 1"], [undefined]])("parseBoolean(%j) is undefined", (value) => {
    expect(parseBoolean(value)).toBeUndefined();
  });

  it("boolean field values from the wire: 1/0/true/false", () => {
    const form = parseForm(
      parseXml(
        `<x xmlns='jabber:x:data' type='submit'>
           <field var='a' type='boolean'><value>1</value></field>
           <field var='b' type='boolean'><value>0</value></field>
           <field var='c' type='boolean'><value>true</value></field>
           <field var='d' type='boolean'><value>false</value></field>
         </x>`,
      ),
    );
    expect(["a", "b", "c", "d"].map((name) => parseBoolean(getValue(form, name)))).toEqual([true, false, true, false]);
  });

  it("formFromValues serializes booleans as 1/0", () => {
    const form = formFromValues("submit", undefined, { on: true, off: false });
    expect(formRoundTrip(form).fields).toEqual([
      { var: "on", values: ["1"] },
      { var: "off", values: ["0"] },
    ]);
  });
});

describe("formFromValues", () => {
  it("keeps insertion order, converts numbers and arrays, skips undefined", () => {
    const form = formFromValues("submit", "urn:example:t", {
      token: "abc",
      count: 3,
      nodes: ["n1", "n2"],
      skipped: undefined,
      empty: "",
    });
    expect(form).toEqual({
      type: "submit",
      formType: "urn:example:t",
      fields: [
        { var: "token", values: ["abc"] },
        { var: "count", values: ["3"] },
        { var: "nodes", values: ["n1", "n2"] },
        { var: "empty", values: [""] },
      ],
    });
  });

  it("without formType the form has no formType key", () => {
    expect(formFromValues("result", undefined, {})).toStrictEqual({ type: "result", fields: [] });
  });

  it("copies array values instead of sharing them", () => {
    const nodes = ["n1"];
    const form = formFromValues("submit", undefined, { nodes });
    nodes.push("n2");
    expect(getValues(form, "nodes")).toEqual(["n1"]);
  });
});

describe("buildField", () => {
  it("writes desc, required, the <value>s, then the <option>s (XEP-0004 schema order)", () => {
    const el = roundTrip(
      buildField({
        var: "urgency",
        type: "list-multi",
        desc: "How soon",
        required: true,
        options: [{ label: "Low", value: "low" }, { value: "high" }],
        values: ["low", "high"],
      }),
    );
    expect(el.getChildElements().map((child) => (child.name === "value" ? `value:${child.text()}` : child.name))).toEqual([
      "desc",
      "required",
      "value:low",
      "value:high",
      "option",
      "option",
    ]);
    expect(el.getChildren("option").map((option) => option.getChildText("value"))).toEqual(["low", "high"]);
  });

  it("omits absent attributes and the <required/> flag when false", () => {
    const el = roundTrip(buildField({ var: "a", required: false, values: [] }));
    expect(el.attrs).toEqual({ var: "a" });
    expect(el.getChildElements()).toHaveLength(0);
  });
});

describe("findForm / getField / getValue / getValues / formValues", () => {
  const parent = parseXml(
    `<command xmlns='http://jabber.org/protocol/commands' node='n'>
       <x xmlns='jabber:x:data' type='result'>
         <field var='FORM_TYPE' type='hidden'><value>urn:example:first</value></field>
         <field var='a'><value>1</value></field>
       </x>
       <x xmlns='jabber:x:data' type='result'>
         <field var='FORM_TYPE' type='hidden'><value>urn:example:second</value></field>
         <field var='b'><value>2</value><value>3</value></field>
       </x>
       <x xmlns='urn:example:not-a-form' type='result'/>
     </command>`,
  );

  it("findForm without formType returns the first data form", () => {
    expect(findForm(parent)?.formType).toBe("urn:example:first");
  });

  it("findForm with formType picks the matching form", () => {
    const form = findForm(parent, "urn:example:second");
    expect(form?.formType).toBe("urn:example:second");
    expect(getValues(form as DataForm, "b")).toEqual(["2", "3"]);
  });

  it("findForm returns undefined when no form matches", () => {
    expect(findForm(parent, "urn:example:none")).toBeUndefined();
    expect(findForm(xml("command", { xmlns: NS.commands }))).toBeUndefined();
  });

  it("getValue/getValues/getField on absent fields", () => {
    const form: DataForm = { type: "result", fields: [{ var: "x", values: [] }] };
    expect(getValue(form, "missing")).toBeUndefined();
    expect(getValues(form, "missing")).toEqual([]);
    expect(getField(form, "missing")).toBeUndefined();
    expect(getValue(form, "x")).toBeUndefined();
  });

  it("formValues maps var → values and skips fixed fields without var", () => {
    const form: DataForm = {
      type: "result",
      formType: "urn:example",
      fields: [
        { type: "fixed", values: ["header"] },
        { var: "a", values: ["1", "2"] },
      ],
    };
    expect(formValues(form)).toEqual({ a: ["1", "2"] });
  });
});

describe("XEP-0004 malformed forms → PushError('bad-request')", () => {
  const malformed: Array<[string, string]> = [
    ["wrong element name", `<form xmlns='jabber:x:data' type='submit'/>`],
    ["wrong namespace", `<x xmlns='jabber:x:oob' type='submit'/>`],
    ["no namespace", `<x type='submit'/>`],
    ["missing type", `<x xmlns='jabber:x:data'/>`],
    ["empty type", `<x xmlns='jabber:x:data' type=''/>`],
    ["invalid form type", `<x xmlns='jabber:x:data' type='bogus'/>`],
    ["form type in the wrong case", `<x xmlns='jabber:x:data' type='Submit'/>`],
    ["unknown field type", `<x xmlns='jabber:x:data' type='form'><field var='a' type='text-double'/></x>`],
    ["field without var", `<x xmlns='jabber:x:data' type='submit'><field><value>v</value></field></x>`],
    ["typed field without var", `<x xmlns='jabber:x:data' type='form'><field type='text-single'/></x>`],
    ["field with an empty var", `<x xmlns='jabber:x:data' type='submit'><field var=''><value>v</value></field></x>`],
    [
      "duplicate field",
      `<x xmlns='jabber:x:data' type='submit'><field var='a'><value>1</value></field><field var='a'><value>2</value></field></x>`,
    ],
    [
      "duplicate FORM_TYPE",
      `<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>u:1</value></field><field var='FORM_TYPE'><value>u:2</value></field></x>`,
    ],
    [
      "duplicate field in <reported>",
      `<x xmlns='jabber:x:data' type='result'><reported><field var='a'/><field var='a'/></reported></x>`,
    ],
    [
      "duplicate field in one <item>",
      `<x xmlns='jabber:x:data' type='result'><item><field var='a'/><field var='a'/></item></x>`,
    ],
    ["unknown field type inside <item>", `<x xmlns='jabber:x:data' type='result'><item><field var='a' type='nope'/></item></x>`],
    ["field without var inside <reported>", `<x xmlns='jabber:x:data' type='result'><reported><field label='L'/></reported></x>`],
  ];

  it.each(malformed)("%s", (_title, source) => {
    const error = expectPushError(() => parseForm(parseXml(source)), "bad-request");
    expect(error.stanza?.name).toBe(parseXml(source).name);
  });

  it("findForm propagates a malformed form as PushError('bad-request')", () => {
    const parent = parseXml(`<notification xmlns='urn:xmpp:push:0'><x xmlns='jabber:x:data' type='weird'/></notification>`);
    expectPushError(() => findForm(parent), "bad-request");
  });
});
