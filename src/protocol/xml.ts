import { Element, Parser } from "@xmpp/xml";

export { Element, Parser };

/** What `xml()` accepts as attribute values: absent ones (undefined, null) are left out. */
export type XmlAttributes = Readonly<Record<string, string | number | null | undefined>>;

/** What `xml()` accepts as children: elements and text; null, undefined, false and "" are skipped. */
export type XmlChild = Element | string | number | null | undefined | false;

/**
 * Builds an element, like @xmpp/xml's `xml()`. Absent attributes are skipped rather than
 * deleted afterwards, as ltx's JSX path does: those deletes put every attribute object into
 * V8's slow dictionary mode, which made element building the reference server's top cost.
 */
export function xml(name: string, attrs?: XmlAttributes | null, ...children: XmlChild[]): Element {
  const element = new Element(name);
  if (attrs) {
    for (const key in attrs) {
      const value = attrs[key];
      if (value !== undefined && value !== null) element.attrs[key] = typeof value === "string" ? value : String(value);
    }
  }
  for (const child of children) {
    if (child === undefined || child === null || child === false || child === "") continue;
    if (typeof child === "object") element.cnode(child);
    else element.children.push(String(child));
  }
  return element;
}

/** Child elements of `parent` named `name` in namespace `ns` (inherited namespaces count). */
export function childrenOf(parent: Element, name: string, ns?: string): Element[] {
  return parent.getChildElements().filter((child) => child.is(name, ns));
}

/** The trimmed text of a child element, or undefined when it is absent or empty. */
export function childText(parent: Element, name: string, ns?: string): string | undefined {
  const text = parent.getChild(name, ns)?.text().trim();
  return text ? text : undefined;
}

/** An attribute's value, or undefined when absent or empty. */
export function attr(element: Element, name: string): string | undefined {
  const value: unknown = element.attrs[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** A deep copy, so a stored element can be sent many times without sharing parents. */
export function cloneElement(element: Element): Element {
  const copy = new Element(element.name);
  // A plain loop and direct pushes: Object.assign and cnode() made copying a publish's options a
  // visible share of every push.
  const attrs = element.attrs;
  for (const key in attrs) copy.attrs[key] = attrs[key];
  for (const child of element.children) {
    if (typeof child === "string") copy.children.push(child);
    else {
      const childCopy = cloneElement(child as Element);
      childCopy.parent = copy;
      copy.children.push(childCopy);
    }
  }
  return copy;
}

/** Parses one serialized element with the same streaming parser a socket uses. */
export function parseXml(text: string): Element {
  const parser = new Parser();
  let root: Element | undefined;
  let failure: unknown;
  parser.on("start", (element: Element) => {
    root = element;
  });
  parser.on("element", (element: Element) => {
    root?.append(element);
  });
  parser.on("error", (error: unknown) => {
    failure ??= error;
  });
  try {
    parser.write(text);
  } catch (error) {
    // ltx throws out of write() on an undefined entity, and @xmpp/xml on an end tag with nothing open.
    throw new XmlSyntaxError(text, error);
  }
  if (failure !== undefined || !root) throw new XmlSyntaxError(text, failure);
  return root;
}

/** Input that is not one well-formed element. */
export class XmlSyntaxError extends Error {
  override readonly name = "XmlSyntaxError";
  constructor(readonly input: string, cause: unknown) {
    super(`not well-formed XML: ${input.slice(0, 80)}`, cause === undefined ? undefined : { cause });
  }
}

/** Whether `element` nests deeper than `limit` levels (itself being level 1); walks the tree without recursion. */
export function nestsDeeperThan(element: Element, limit: number): boolean {
  const pending: [Element, number][] = [[element, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [current, depth] = next;
    if (depth > limit) return true;
    for (const child of current.children) if (typeof child !== "string") pending.push([child as Element, depth + 1]);
  }
  return false;
}
