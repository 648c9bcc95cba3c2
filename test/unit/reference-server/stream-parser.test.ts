import { describe, expect, it } from "vitest";
import type { Element } from "../../../src/protocol/index.js";
import { StreamError } from "../../../src/sim/index.js";
import { type Framing, StreamParser, type StreamLimits } from "../../../src/sim/xmpp-server/c2s/stream-parser.js";

/** The reference server's stream parser on its own: what comes out for what goes in, under its limits. */

const LIMITS: StreamLimits = { maxStanzaSize: 1024, maxDepth: 8 };
const RFC6120_HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='example.test' version='1.0'>";
const RFC7395_OPEN = "<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='example.test' version='1.0'/>";

function parse(framing: Framing, chunks: readonly string[], limits: StreamLimits = LIMITS) {
  const events: string[] = [];
  const elements: Element[] = [];
  let error: StreamError | undefined;
  const parser = new StreamParser(framing, limits, {
    header: (open) => events.push(`header ${open.name}`),
    element: (element) => {
      events.push(`element ${element.name}`);
      elements.push(element);
    },
    close: () => events.push("close"),
    error: (failure) => {
      events.push(`error ${failure.condition}`);
      error = failure;
    },
  });
  for (const chunk of chunks) parser.write(chunk);
  return { events, elements, error };
}

describe("StreamParser (RFC 6120 and RFC 7395 framing)", () => {
  it("RFC 6120: the header, each top-level element, and the stream close", () => {
    const { events, elements } = parse("rfc6120", [RFC6120_HEADER, "<message to='a@b'><body>hi &amp; bye</body></message> \n<presence/>", "</stream:stream>"]);
    expect(events).toEqual(["header stream:stream", "element message", "element presence", "close"]);
    expect(elements[0]?.getChildText("body")).toBe("hi & bye");
  });

  it("RFC 7395: <open/> is the header, <close/> the end, frames carry stanzas", () => {
    const { events } = parse("rfc7395", [RFC7395_OPEN, "<iq type='get' id='1'><ping xmlns='urn:xmpp:ping'/></iq>", "<close xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>"]);
    expect(events).toEqual(["header open", "element iq", "close"]);
  });

  it("gives the same elements however the input is cut into chunks", () => {
    const stream = `${RFC6120_HEADER}<message id='1'><body>é ✓ 😀</body></message><iq type='get' id='2'><query xmlns='urn:x'/></iq>`;
    const whole = parse("rfc6120", [stream]).elements.map((element) => element.toString());
    for (const size of [1, 2, 3, 7, 64]) {
      const chunks: string[] = [];
      for (let offset = 0; offset < stream.length; offset += size) chunks.push(stream.slice(offset, offset + size));
      expect(parse("rfc6120", chunks).elements.map((element) => element.toString())).toEqual(whole);
    }
  });

  it.each([
    ["an undefined entity", "<a b='&x;'/>", "restricted-xml"],
    ["a DOCTYPE", "<!DOCTYPE x>", "restricted-xml"],
    ["a comment", "<!-- c -->", "restricted-xml"],
    ["a processing instruction", "<?pi x?>", "restricted-xml"],
    ["&#0;", "<a>&#0;</a>", "not-well-formed"],
    ["a mismatched end tag", "<a></b>", "not-well-formed"],
    ["text between stanzas", "text<a/>", "not-well-formed"],
    ["a duplicate attribute", "<a x='1' x='2'/>", "not-well-formed"],
    ["an unquoted attribute", "<a x=1/>", "not-well-formed"],
    ["an undeclared element prefix", "<foo:a/>", "bad-namespace-prefix"],
    ["an undeclared attribute prefix", "<a foo:x='1'/>", "bad-namespace-prefix"],
    ["a name with an empty prefix", "<:a xmlns=''/>", "bad-namespace-prefix"],
    ["a name with two colons", "<a:b:c xmlns:a='urn:a'/>", "bad-namespace-prefix"],
  ])("%s ends the stream with %s", (_title, input, condition) => {
    const { events, error } = parse("rfc6120", [RFC6120_HEADER, input, "<message/>"]);
    expect(error).toBeInstanceOf(StreamError);
    expect(events).toEqual(["header stream:stream", `error ${condition}`]);
  });

  it("prefixes declared on the element, an ancestor or the stream root are fine; xml: needs no declaration", () => {
    const stanzas = "<a xmlns:p='urn:p'><p:b p:x='1' xml:lang='en'/></a><stream:features/>";
    expect(parse("rfc6120", [RFC6120_HEADER, stanzas]).events).toEqual(["header stream:stream", "element a", "element stream:features"]);
  });

  it("RFC 7395 frames: a DOCTYPE is restricted-xml as well", () => {
    expect(parse("rfc7395", ["<!DOCTYPE open>"]).events).toEqual(["error restricted-xml"]);
  });

  it("the stream root must be <stream:stream> in the streams namespace", () => {
    expect(parse("rfc6120", ["<stream xmlns='jabber:client'>"]).events).toEqual(["error invalid-namespace"]);
  });

  it("an XML declaration naming another encoding than UTF-8 is unsupported-encoding", () => {
    expect(parse("rfc6120", ["<?xml version='1.0' encoding='ISO-8859-1'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams'>"]).events).toEqual([
      "error unsupported-encoding",
    ]);
  });

  it("elements completed before an error in the same chunk still come out; the one with the wrong end tag does not", () => {
    const { events } = parse("rfc6120", [`${RFC6120_HEADER}<presence/><message></iq>`]);
    expect(events).toEqual(["header stream:stream", "element presence", "error not-well-formed"]);
  });

  it("a stanza over maxStanzaSize ends the stream with policy-violation + <stanza-too-big/>, also before it ever closes", () => {
    const { events, error } = parse("rfc6120", [RFC6120_HEADER, "<message><body>", "x".repeat(2000)]);
    expect(events).toEqual(["header stream:stream", "error policy-violation"]);
    expect(error?.application?.is("stanza-too-big", "urn:xmpp:errors")).toBe(true);
  });

  it("a stanza just within maxStanzaSize passes; the size counts from the end of the previous stanza", () => {
    const stanza = `<message><body>${"x".repeat(990)}</body></message>`;
    expect(stanza.length).toBeLessThanOrEqual(LIMITS.maxStanzaSize);
    expect(parse("rfc6120", [RFC6120_HEADER, stanza, stanza, stanza]).events).toEqual(["header stream:stream", "element message", "element message", "element message"]);
  });

  it("an unfinished stanza over several writes counts each character once", () => {
    const open = "<message><body>";
    const { events } = parse("rfc7395", [RFC7395_OPEN, `${open}${"x".repeat(600 - open.length)}`, "x".repeat(300), "</body></message>"]);
    expect(events).toEqual(["header open", "element message"]);
  });

  it("a flood of whitespace between stanzas counts against the limit too", () => {
    expect(parse("rfc6120", [RFC6120_HEADER, " ".repeat(5000)]).events).toEqual(["header stream:stream", "error policy-violation"]);
  });

  it("nesting beyond maxDepth ends the stream with policy-violation as soon as the element opens", () => {
    const within = `${"<a>".repeat(LIMITS.maxDepth)}${"</a>".repeat(LIMITS.maxDepth)}`;
    expect(parse("rfc7395", [RFC7395_OPEN, within]).events).toEqual(["header open", "element a"]);
    expect(parse("rfc7395", [RFC7395_OPEN, "<a>".repeat(LIMITS.maxDepth + 1)]).events).toEqual(["header open", "error policy-violation"]);
  });

  it("10 MB in a single write is refused at the limit, not after reading it all", () => {
    const { events } = parse("rfc6120", [RFC6120_HEADER, `<message>${"y".repeat(10 * 1024 * 1024)}`], { maxStanzaSize: 256 * 1024, maxDepth: 64 });
    expect(events).toEqual(["header stream:stream", "error policy-violation"]);
  });

  it("after stop(), nothing more comes out", () => {
    const events: string[] = [];
    const parser = new StreamParser("rfc7395", LIMITS, {
      header: () => events.push("header"),
      element: () => events.push("element"),
      close: () => events.push("close"),
      error: () => events.push("error"),
    });
    parser.write(RFC7395_OPEN);
    parser.stop();
    parser.write("<message/><garbage &x;>");
    expect(events).toEqual(["header"]);
  });
});
