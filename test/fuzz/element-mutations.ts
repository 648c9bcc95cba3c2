import fc from "fast-check";
import { Element as XmlElement, escapeXML, escapeXMLText } from "@xmpp/xml";
import { cloneElement, type Element, parseXml } from "../../src/protocol/index.js";
import { anyText, randomElement } from "./random-element.js";
import { applyTextEdits, type TextEdit, textEdit } from "./text-mutations.js";

/** A change to an element tree; `node` picks an element in document order, modulo their count. */
export type TreeEdit =
  | { readonly kind: "rename"; readonly node: number; readonly name: string }
  | { readonly kind: "set-attribute"; readonly node: number; readonly attribute: string; readonly value: string }
  | { readonly kind: "remove-attribute"; readonly node: number; readonly attribute: number }
  | { readonly kind: "remove-child"; readonly node: number; readonly child: number }
  | { readonly kind: "duplicate-child"; readonly node: number; readonly child: number }
  | { readonly kind: "insert-child"; readonly node: number; readonly child: Element }
  | { readonly kind: "set-text"; readonly node: number; readonly text: string };

const node = fc.nat({ max: 200 });
const NAMES = ["x", "field", "value", "item", "publish", "publish-options", "command", "query", "error", "notification", "reported", "actions", "note", "enable"];
const ATTRIBUTES = ["type", "var", "node", "jid", "action", "sessionid", "status", "xmlns", "id", "label", "category", "execute", "__proto__"];

export const treeEdit: fc.Arbitrary<TreeEdit> = fc.oneof(
  fc.record({ kind: fc.constant("rename" as const), node, name: fc.constantFrom(...NAMES) }),
  fc.record({ kind: fc.constant("set-attribute" as const), node, attribute: fc.constantFrom(...ATTRIBUTES), value: fc.oneof(fc.constantFrom("", "form", "submit", "bogus", "execute", "FORM_TYPE", "executing", "completed", "canceled", "result", "error"), anyText) }),
  fc.record({ kind: fc.constant("remove-attribute" as const), node, attribute: fc.nat({ max: 10 }) }),
  fc.record({ kind: fc.constant("remove-child" as const), node, child: fc.nat({ max: 10 }) }),
  fc.record({ kind: fc.constant("duplicate-child" as const), node, child: fc.nat({ max: 10 }) }),
  fc.record({ kind: fc.constant("insert-child" as const), node, child: randomElement }),
  fc.record({ kind: fc.constant("set-text" as const), node, text: anyText }),
);

/** Applies tree edits to a copy of `element`. */
export function editTree(element: Element, edits: readonly TreeEdit[]): Element {
  const root = cloneElement(element);
  for (const edit of edits) applyTreeEdit(root, edit);
  return root;
}

function applyTreeEdit(root: Element, edit: TreeEdit): void {
  const elements = descendantsAndSelf(root);
  const target = elements[edit.node % elements.length] as Element;
  switch (edit.kind) {
    case "rename":
      target.name = edit.name;
      return;
    case "set-attribute":
      target.attrs[edit.attribute] = edit.value;
      return;
    case "remove-attribute": {
      const names = Object.keys(target.attrs);
      const name = names[edit.attribute % Math.max(names.length, 1)];
      if (name !== undefined) delete target.attrs[name];
      return;
    }
    case "remove-child":
      target.children.splice(edit.child % Math.max(target.children.length, 1), 1);
      return;
    case "duplicate-child": {
      const child = target.children[edit.child % Math.max(target.children.length, 1)];
      if (typeof child === "string") target.t(child);
      else if (child) target.cnode(cloneElement(child as Element));
      return;
    }
    case "insert-child":
      target.cnode(cloneElement(edit.child));
      return;
    case "set-text":
      target.children = [edit.text];
      return;
  }
}

/** In document order, without recursion: damaged trees can nest thousands deep. */
export function descendantsAndSelf(element: Element): Element[] {
  const found: Element[] = [];
  const pending = [element];
  for (let next = pending.pop(); next; next = pending.pop()) {
    found.push(next);
    pending.push(...next.getChildElements().reverse());
  }
  return found;
}

/** Serialize, damage the text, parse again: elements as a lenient parser might hand over; the original when it no longer parses. */
export function reparsedWithEdits(element: Element, edits: readonly TextEdit[]): Element {
  try {
    return parseXml(applyTextEdits(element.toString(), edits).text);
  } catch {
    return element;
  }
}

/** Damage to an element: in its tree, or in its serialized text. */
export type ElementDamage = { readonly kind: "tree"; readonly edits: readonly TreeEdit[] } | { readonly kind: "text"; readonly edits: readonly TextEdit[] };

export const elementDamage: fc.Arbitrary<ElementDamage> = fc.oneof(
  fc.record({ kind: fc.constant("tree" as const), edits: fc.array(treeEdit, { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant("text" as const), edits: fc.array(textEdit, { minLength: 1, maxLength: 2 }) }),
);

export function damageElement(element: Element, damage: ElementDamage | undefined): Element {
  if (!damage) return element;
  return damage.kind === "tree" ? editTree(element, damage.edits) : reparsedWithEdits(element, damage.edits);
}

/**
 * `damageElement`, with the text to send: written without recursion, since a `nest` edit
 * thousands deep parses (ltx's parser does not recurse) but would overflow the stack of ltx's
 * recursive `toString()` on the sending side, before the server saw a byte.
 */
export function damagedStanza(element: Element, damage: ElementDamage | undefined): { readonly element: Element; readonly text: string } {
  const damaged = damageElement(element, damage);
  return { element: damaged, text: serialized(damaged) };
}

/** An element's XML, as ltx writes it, without recursion. */
function serialized(root: Element): string {
  const out: string[] = [];
  const pending: unknown[] = [root];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (!(next instanceof XmlElement)) out.push(typeof next === "object" && next !== null && "close" in next ? `</${String(next.close)}>` : escapeXMLText(String(next)));
    else {
      const attributes = Object.entries(next.attrs).filter(([, value]) => value !== undefined && value !== null);
      out.push(`<${next.name}${attributes.map(([name, value]) => ` ${name}="${escapeXML(String(value))}"`).join("")}`);
      if (next.children.length === 0) out.push("/>");
      else {
        out.push(">");
        pending.push({ close: next.name }, ...[...next.children].reverse());
      }
    }
  }
  return out.join("");
}

/** A protocol element damaged in its tree or in its text, or left alone. */
export function mutatedElement(elements: fc.Arbitrary<Element>): fc.Arbitrary<Element> {
  return fc.tuple(elements, fc.option(elementDamage, { nil: undefined, freq: 3 })).map(([element, damage]) => damageElement(element, damage));
}
