import fc from "fast-check";
import { Element, NS } from "../../src/protocol/index.js";

/** Names, namespaces and attribute values the protocol parsers look for, so random trees often reach deep into them. */
const NAMES = [
  "x", "field", "value", "option", "reported", "item", "title", "instructions", "desc", "required", "enable", "disable",
  "notification", "pubsub", "publish", "publish-options", "command", "actions", "note", "query", "identity", "feature",
  "error", "text", "iq", "message", "body", "bad-request", "item-not-found", "complete", "next", "prev", "stream:error",
];
const NAMESPACES = [...Object.values(NS), "", "urn:ietf:params:xml:ns:xmpp-stanzas", "urn:unknown"];
const ATTRIBUTE_NAMES = [
  "type", "var", "node", "jid", "action", "sessionid", "status", "category", "name", "label", "id", "execute", "from", "to", "h", "__proto__", "constructor", "toString",
];
const ATTRIBUTE_VALUES = [
  "form", "submit", "cancel", "result", "boolean", "fixed", "hidden", "jid-multi", "jid-single", "list-multi", "list-single",
  "text-multi", "text-private", "text-single", "execute", "next", "prev", "complete", "completed", "canceled", "executing", "warn",
  "FORM_TYPE", "secret", "modify", "auth", "wait", "get", "set", "error", "alice@example.test/phone", "push.example.test", "@", "/", "",
  ...NAMESPACES,
];

/** Text of any code point, lone surrogates included: what a buggy or hostile peer's parser might hand over. */
export const anyText = fc.string({ unit: fc.oneof(fc.string({ unit: "binary", minLength: 1, maxLength: 1 }), fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit))), maxLength: 20 });

const attributeValue = fc.oneof({ arbitrary: fc.constantFrom(...ATTRIBUTE_VALUES), weight: 4 }, { arbitrary: anyText, weight: 1 });

interface ElementShape {
  readonly name: string;
  readonly namespace: string | undefined;
  readonly attributes: Record<string, string>;
  readonly children: readonly (ElementShape | string)[];
}

const shapes = fc.letrec<{ element: ElementShape; child: ElementShape | string }>((tie) => ({
  element: fc.record({
    name: fc.oneof({ arbitrary: fc.constantFrom(...NAMES), weight: 5 }, { arbitrary: fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), weight: 1 }),
    namespace: fc.option(fc.constantFrom(...NAMESPACES), { nil: undefined }),
    attributes: fc.dictionary(fc.constantFrom(...ATTRIBUTE_NAMES), attributeValue, { maxKeys: 4 }),
    children: fc.array(tie("child"), { maxLength: 4 }),
  }),
  child: fc.oneof({ depthSize: "small", maxDepth: 6 }, anyText, tie("element")),
}));

function toElement(shape: ElementShape): Element {
  const element = new Element(shape.name, shape.namespace === undefined ? undefined : { xmlns: shape.namespace });
  // Assigned one by one, as a parser sets them.
  for (const [name, value] of Object.entries(shape.attributes)) element.attrs[name] = value;
  for (const child of shape.children) {
    if (typeof child === "string") element.t(child);
    else element.cnode(toElement(child));
  }
  return element;
}

/** Random element trees over the protocol's vocabulary. */
export const randomElement: fc.Arbitrary<Element> = shapes.element.map(toElement);
