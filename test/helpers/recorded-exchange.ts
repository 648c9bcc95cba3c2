import type { Element } from "@xmpp/xml";
import { parseXml } from "./parse-xml.js";

/** Values a recorded exchange leaves to the app server (`{node}`, `{secret}`), as first seen. */
export type Captures = Map<string, string>;

const CAPTURE = /^\{([a-z-]+)\}$/;

/** The recorded XML with the captured values filled in, parsed: a request to send as it is. */
export function recordedStanza(source: string, captures: Captures): Element {
  return parseXml(source.replace(/\{([a-z-]+)\}/g, (whole, name: string) => captures.get(name) ?? whole));
}

/**
 * The differences between `actual` and the recorded XML, field by field: element names and
 * namespaces, every attribute (no more, no fewer; `*` = any value, `{name}` = a value the app
 * server chose, the same wherever it recurs), children in order, trimmed text; a data form's
 * fields are compared by `var`, in any order. Empty when they agree.
 */
export function differences(actual: Element, recordedSource: string, captures: Captures = new Map()): string[] {
  const found: string[] = [];
  compare(actual, parseXml(recordedSource), captures, actual.name, found);
  return found;
}

function compare(actual: Element, recorded: Element, captures: Captures, path: string, found: string[]): void {
  if (actual.name !== recorded.name) {
    found.push(`${path}: <${actual.name}> where <${recorded.name}> was recorded`);
    return;
  }
  const names = new Set([...Object.keys(actual.attrs), ...Object.keys(recorded.attrs)]);
  for (const name of names) {
    const want = recorded.attrs[name] as string | undefined;
    const got = actual.attrs[name] as string | undefined;
    if (want === undefined) found.push(`${path}@${name}: '${got}' was not recorded`);
    else if (got === undefined) found.push(`${path}@${name}: missing (recorded '${want}')`);
    else matchValue(got, want, captures, `${path}@${name}`, found);
  }
  const text = (element: Element): string => element.getText().trim();
  if (text(recorded) !== "" || text(actual) !== "") matchValue(text(actual), text(recorded), captures, `${path} text`, found);

  if (recorded.name === "x" && recorded.attrs.xmlns === "jabber:x:data") {
    compareFields(actual, recorded, captures, path, found);
    return;
  }
  const got = actual.getChildElements();
  const want = recorded.getChildElements();
  if (got.length !== want.length) found.push(`${path}: ${got.length} children where ${want.length} were recorded`);
  for (let index = 0; index < Math.min(got.length, want.length); index++) {
    compare(got[index]!, want[index]!, captures, `${path}/${want[index]!.name}`, found);
  }
}

function compareFields(actual: Element, recorded: Element, captures: Captures, path: string, found: string[]): void {
  const byVar = (x: Element) => new Map(x.getChildren("field").map((field) => [String(field.attrs.var), field]));
  const got = byVar(actual);
  const want = byVar(recorded);
  for (const name of new Set([...got.keys(), ...want.keys()])) {
    const field = got.get(name);
    const recordedField = want.get(name);
    if (!recordedField) found.push(`${path}/field[${name}]: not recorded`);
    else if (!field) found.push(`${path}/field[${name}]: missing`);
    else compare(field, recordedField, captures, `${path}/field[${name}]`, found);
  }
  const others = (x: Element) => x.getChildElements().filter((child) => child.name !== "field").map((child) => child.name);
  if (others(actual).join() !== others(recorded).join()) found.push(`${path}: children ${others(actual).join()} where ${others(recorded).join()} were recorded`);
}

function matchValue(got: string, want: string, captures: Captures, path: string, found: string[]): void {
  if (want === "*") return;
  const capture = CAPTURE.exec(want);
  if (capture) {
    const seen = captures.get(capture[1]!);
    if (seen === undefined) captures.set(capture[1]!, got);
    else if (seen !== got) found.push(`${path}: '${got}' where {${capture[1]}} was '${seen}'`);
    return;
  }
  if (got !== want) found.push(`${path}: '${got}' where '${want}' was recorded`);
}
