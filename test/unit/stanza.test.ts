import { describe, expect, it } from "vitest";
import { attr, buildIq, childrenOf, childText, cloneElement, iqPayload, NS, xml } from "../../src/protocol/index.js";
import { parseXml, roundTrip } from "../helpers/parse-xml.js";

describe("buildIq / iqPayload", () => {
  it("buildIq sets the attributes and appends one payload", () => {
    const iq = roundTrip(buildIq({ type: "get", id: "d1", to: "push.example.net" }, xml("query", { xmlns: NS.discoInfo })));
    expect(iq.attrs).toEqual({ type: "get", id: "d1", to: "push.example.net" });
    expect(iqPayload(iq)?.is("query", NS.discoInfo)).toBe(true);
  });

  it("buildIq without payload has no children", () => {
    const iq = roundTrip(buildIq({ type: "result", id: "r1" }));
    expect(iq.toString()).toBe(`<iq type="result" id="r1"/>`);
    expect(iqPayload(iq)).toBeUndefined();
  });

  it("iqPayload ignores whitespace text and needs exactly one child element (RFC 6120 §8.2.3)", () => {
    expect(iqPayload(parseXml(`<iq type='set' id='1'>\n  <ping xmlns='urn:xmpp:ping'/>\n</iq>`))?.name).toBe("ping");
    expect(iqPayload(parseXml(`<iq type='set' id='1'><a xmlns='urn:a'/><b xmlns='urn:b'/></iq>`))).toBeUndefined();
    expect(iqPayload(parseXml(`<iq type='get' id='1'>text only</iq>`))).toBeUndefined();
  });
});

describe("xml()", () => {
  it("skips absent attributes and empty children, stringifies numbers", () => {
    const element = xml("field", { var: "n", type: undefined, label: null, count: 3 }, xml("value", {}, "1"), undefined, null, false, "", 7);
    expect(element.attrs).toEqual({ var: "n", count: "3" });
    expect(element.toString()).toBe('<field var="n" count="3"><value>1</value>7</field>');
  });

  it("links element children to their parent, so namespaces are inherited", () => {
    const child = xml("item");
    const parent = xml("query", { xmlns: NS.discoItems }, child);
    expect(child.parent).toBe(parent);
    expect(child.is("item", NS.discoItems)).toBe(true);
  });
});

describe("xml helpers", () => {
  const parent = parseXml(
    `<query xmlns='urn:a'>
       <item n='1'/><item xmlns='urn:b' n='2'/><other/><item n='3'/>
       <title>  Hello  </title><empty></empty><blank>   </blank>
     </query>`,
  );

  it("childrenOf filters by name and, when given, by inherited namespace", () => {
    expect(childrenOf(parent, "item").map((el) => el.attrs.n)).toEqual(["1", "2", "3"]);
    expect(childrenOf(parent, "item", "urn:a").map((el) => el.attrs.n)).toEqual(["1", "3"]);
    expect(childrenOf(parent, "item", "urn:b").map((el) => el.attrs.n)).toEqual(["2"]);
    expect(childrenOf(parent, "missing")).toEqual([]);
  });

  it("childText trims and reads empty or blank text as undefined", () => {
    expect(childText(parent, "title")).toBe("Hello");
    expect(childText(parent, "empty")).toBeUndefined();
    expect(childText(parent, "blank")).toBeUndefined();
    expect(childText(parent, "missing")).toBeUndefined();
  });

  it("attr reads absent and empty attributes as undefined", () => {
    const el = parseXml(`<e a='x' b=''/>`);
    expect(attr(el, "a")).toBe("x");
    expect(attr(el, "b")).toBeUndefined();
    expect(attr(el, "c")).toBeUndefined();
  });

  it("cloneElement makes a deep, detached copy", () => {
    const original = parseXml(`<x xmlns='jabber:x:data' type='submit'><field var='a'><value>1 &amp; 2</value></field></x>`);
    const copy = cloneElement(original);
    expect(copy.toString()).toBe(original.toString());
    expect(copy.parent).toBeNull();
    expect(copy.getChild("field")?.parent).toBe(copy);

    copy.getChild("field")?.getChild("value")?.children.splice(0, 1, "changed");
    copy.attrs.type = "form";
    expect(original.getChild("field")?.getChildText("value")).toBe("1 & 2");
    expect(original.attrs.type).toBe("submit");
  });
});
