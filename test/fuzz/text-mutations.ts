import fc from "fast-check";

/**
 * One change to a turn's text. Positions are any natural number, taken modulo the text's length:
 * an edit applies to any text, and shrinks towards its start.
 */
export type TextEdit =
  | { readonly kind: "truncate"; readonly at: number }
  | { readonly kind: "replace-char"; readonly at: number; readonly by: string }
  | { readonly kind: "flip-bit"; readonly at: number; readonly bit: number }
  | { readonly kind: "insert"; readonly at: number; readonly snippet: string }
  | { readonly kind: "delete"; readonly at: number; readonly length: number }
  | { readonly kind: "duplicate"; readonly at: number; readonly length: number; readonly to: number }
  | { readonly kind: "rename-tag"; readonly tag: number; readonly name: string }
  | { readonly kind: "swap-tags"; readonly first: number; readonly second: number }
  | { readonly kind: "add-attributes"; readonly tag: number; readonly count: number; readonly sameName: boolean }
  | { readonly kind: "nest"; readonly at: number; readonly depth: number; readonly closed: boolean };

/** XML's special characters and the constructs RFC 6120 §11.1 forbids or the parser must reject. */
const XML_SPECIALS = [
  "<", ">", "&", "&x;", "&amp;", "&lt;", "&#0;", "&#x0;", "&#65;", "&#xD800;", "&#1114112;", "&#x110000;", "&#;", "&",
  "]]>", "<!--", "-->", "<!-- c -->", "<?pi?>", "<?xml version='1.0'?>", "<?xml version='1.0' encoding='latin1'?>",
  "<!DOCTYPE x>", "<!DOCTYPE x [<!ENTITY e 'v'>]>&e;", "<![CDATA[", "<![CDATA[<x>]]>", '"', "'", "=", "</", "/>", "</x>", "<x>", "<x/>",
  "\0", "\u0001", "\u000b", "\ufffe", "\uffff", "\ud800", "\udc00", "\u{1f600}", "\u0085", "\u2028",
  " xmlns='x'", " xmlns:stream='y'", " xml:lang='en'", " xmlns:=''", " a:b='c'",
  "<stream:stream>", "</stream:stream>", "<open xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>", "<close xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>",
  "<iq type='get' id='injected'><ping xmlns='urn:xmpp:ping'/></iq>", "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlAHNlY3JldA==</auth>",
  "<message to='alice@example.test'><body>x</body></message>", "<r xmlns='urn:xmpp:sm:3'/>", "<a xmlns='urn:xmpp:sm:3' h='4294967295'/>",
];

const TAG_NAMES = [
  "iq", "message", "presence", "stream:stream", "stream:features", "stream:error", "open", "close", "auth", "response", "abort",
  "bind", "resource", "enable", "enabled", "disable", "a", "r", "resume", "x", "field", "value", "query", "error", "body", "pubsub",
  "1bad", "a:b:c", ":x", "xml", "xmlns", "xmlns:foo", "-", "ü", "__proto__", "constructor",
];

/** Any code point, and the lone surrogates JavaScript strings can hold but XML cannot. */
const randomUnicode = fc.string({ unit: fc.oneof(fc.string({ unit: "binary", minLength: 1, maxLength: 1 }), fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit))), maxLength: 12 });

const snippet = fc.oneof({ arbitrary: fc.constantFrom(...XML_SPECIALS), weight: 4 }, { arbitrary: randomUnicode, weight: 1 });
const position = fc.nat({ max: 1_000_000 });

export const textEdit: fc.Arbitrary<TextEdit> = fc.oneof(
  fc.record({ kind: fc.constant("truncate" as const), at: position }),
  fc.record({ kind: fc.constant("replace-char" as const), at: position, by: snippet }),
  fc.record({ kind: fc.constant("flip-bit" as const), at: position, bit: fc.integer({ min: 0, max: 15 }) }),
  { arbitrary: fc.record({ kind: fc.constant("insert" as const), at: position, snippet }), weight: 3 },
  fc.record({ kind: fc.constant("delete" as const), at: position, length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant("duplicate" as const), at: position, length: fc.integer({ min: 1, max: 200 }), to: position }),
  fc.record({ kind: fc.constant("rename-tag" as const), tag: fc.nat({ max: 100 }), name: fc.constantFrom(...TAG_NAMES) }),
  fc.record({ kind: fc.constant("swap-tags" as const), first: fc.nat({ max: 100 }), second: fc.nat({ max: 100 }) }),
  fc.record({ kind: fc.constant("add-attributes" as const), tag: fc.nat({ max: 100 }), count: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 500, max: 3_000 })), sameName: fc.boolean() }),
  fc.record({ kind: fc.constant("nest" as const), at: position, depth: fc.oneof(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1_000, max: 5_000 })), closed: fc.boolean() }),
);

export interface EditedText {
  readonly text: string;
  /** The text was cut: a client that stops mid-stanza sends nothing after it. */
  readonly truncated: boolean;
}

export function applyTextEdits(original: string, edits: readonly TextEdit[]): EditedText {
  let text = original;
  let truncated = false;
  for (const edit of edits) {
    if (edit.kind === "truncate") {
      text = text.slice(0, edit.at % (text.length + 1));
      truncated = true;
    } else {
      text = applyTextEdit(text, edit);
    }
  }
  return { text, truncated };
}

function applyTextEdit(text: string, edit: Exclude<TextEdit, { kind: "truncate" }>): string {
  const at = "at" in edit ? edit.at % (text.length + 1) : 0;
  switch (edit.kind) {
    case "replace-char":
      return text.slice(0, at) + edit.by + text.slice(at + 1);
    case "flip-bit":
      return at < text.length ? text.slice(0, at) + String.fromCharCode(text.charCodeAt(at) ^ (1 << edit.bit)) + text.slice(at + 1) : text;
    case "insert":
      return text.slice(0, at) + edit.snippet + text.slice(at);
    case "delete":
      return text.slice(0, at) + text.slice(at + edit.length);
    case "duplicate": {
      const copy = text.slice(at, at + edit.length);
      const to = edit.to % (text.length + 1);
      return text.slice(0, to) + copy + text.slice(to);
    }
    case "rename-tag":
      return renameTag(text, edit.tag, () => edit.name);
    case "swap-tags": {
      const names = tagNames(text);
      const first = names[edit.first % Math.max(names.length, 1)];
      const second = names[edit.second % Math.max(names.length, 1)];
      if (first === undefined || second === undefined) return text;
      return renameTag(renameTag(text, edit.first, () => second.name), edit.second, () => first.name);
    }
    case "add-attributes":
      return addAttributes(text, edit.tag, edit.count, edit.sameName);
    case "nest":
      return text.slice(0, at) + "<n>".repeat(edit.depth) + (edit.closed ? "</n>".repeat(edit.depth) : "") + text.slice(at);
  }
}

const TAG = /<\/?([^\s/>!?]+)/g;

interface TagName {
  readonly name: string;
  /** Where the name starts in the text. */
  readonly index: number;
  readonly closing: boolean;
}

function tagNames(text: string): TagName[] {
  return [...text.matchAll(TAG)].map((match) => ({
    name: match[1] ?? "",
    index: (match.index ?? 0) + (match[0].startsWith("</") ? 2 : 1),
    closing: match[0].startsWith("</"),
  }));
}

function renameTag(text: string, tag: number, name: (old: string) => string): string {
  const names = tagNames(text);
  const target = names[tag % Math.max(names.length, 1)];
  if (!target) return text;
  return text.slice(0, target.index) + name(target.name) + text.slice(target.index + target.name.length);
}

/** Many attributes on one start tag: distinct ones test the cost of reading them, a repeated one the duplicate check. */
function addAttributes(text: string, tag: number, count: number, sameName: boolean): string {
  const starts = tagNames(text).filter((candidate) => !candidate.closing);
  const target = starts[tag % Math.max(starts.length, 1)];
  if (!target) return text;
  const at = target.index + target.name.length;
  const attributes = Array.from({ length: count }, (_, index) => ` ${sameName ? "a" : `a${index}`}='${index}'`).join("");
  return text.slice(0, at) + attributes + text.slice(at);
}
