import fc from "fast-check";
import {
  base64ToBytes,
  base64UrlToBytes,
  bareJid,
  domainOf,
  type Element,
  encodePushPayload,
  findForm,
  NS,
  parseCommandRequest,
  parseCommandResponse,
  parseDisable,
  parseDiscoInfo,
  parseDiscoItems,
  parseEnable,
  parseForm,
  parseNotification,
  parsePublish,
  parsePushPayload,
  parseStanzaError,
  parseSummary,
  parseXml,
  publishOptionValues,
  PushError,
  toJid,
  XmlSyntaxError,
} from "../../src/protocol/index.js";
import { descendantsAndSelf, mutatedElement } from "./element-mutations.js";
import { describe as describeError } from "./escape-log.js";
import { expectNoProblems, fuzzProperty } from "./fuzz-property.js";
import { protocolElement } from "./protocol-elements.js";
import { anyText, randomElement } from "./random-element.js";
import { applyTextEdits, textEdit } from "./text-mutations.js";

/** The protocol's element parsers: each must return, or throw a PushError. */
const ELEMENT_PARSERS: Record<string, (element: Element) => unknown> = {
  parseForm,
  parseEnable,
  parseDisable,
  parseNotification,
  parsePublish,
  parseCommandRequest,
  parseCommandResponse,
  parseDiscoInfo,
  parseDiscoItems,
  publishOptionValues,
  findForm: (element) => findForm(element),
  "findForm(summary)": (element) => findForm(element, NS.pushSummary),
  "parseSummary(parseForm)": (element) => parseSummary(parseForm(element)),
};

/** Parsers of strings: JIDs and base64 throw PushError at most. */
const STRING_PARSERS: Record<string, (text: string) => unknown> = { toJid, bareJid, domainOf, base64UrlToBytes };

/** Undefined when `run` returns or throws a PushError; else what it threw. */
export function refusalProblem(name: string, run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof PushError ? undefined : `${name} threw ${describeError(error)}`;
  }
}

function neverThrows(name: string, run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return `${name} threw ${describeError(error)}`;
  }
}

function elementProblems(root: Element): string[] {
  const problems: string[] = [];
  // Every element of the tree, so that a parser meets the child it expects under a damaged parent too.
  for (const element of descendantsAndSelf(root).slice(0, 30)) {
    for (const [name, parse] of Object.entries(ELEMENT_PARSERS)) {
      const problem = refusalProblem(name, () => parse(element));
      if (problem) problems.push(`${problem}\n  on ${element.toString().slice(0, 500)}`);
    }
    const problem = neverThrows("parseStanzaError", () => {
      if (!(parseStanzaError(element) instanceof PushError)) throw new TypeError("parseStanzaError returned no PushError");
    });
    if (problem) problems.push(problem);
    for (const value of Object.values(element.attrs)) if (typeof value === "string") problems.push(...stringProblems(value));
  }
  return problems;
}

function stringProblems(text: string): string[] {
  const problems = Object.entries(STRING_PARSERS).map(([name, parse]) => refusalProblem(name, () => parse(text)));
  problems.push(neverThrows("base64ToBytes", () => base64ToBytes(text)));
  problems.push(neverThrows("parsePushPayload", () => parsePushPayload(text)));
  return problems.filter((problem): problem is string => problem !== undefined).map((problem) => `${problem}\n  on ${JSON.stringify(text.slice(0, 300))}`);
}

/** `parseXml` refuses what is not one well-formed element with its own error class, and nothing else. */
export function xmlParserProblems(text: string): string[] {
  try {
    parseXml(text);
    return [];
  } catch (error) {
    return error instanceof XmlSyntaxError ? [] : [`parseXml threw ${describeError(error)}\n  on ${JSON.stringify(text.slice(0, 300))}`];
  }
}

const anyElement = fc.oneof({ arbitrary: mutatedElement(protocolElement), weight: 3 }, { arbitrary: randomElement, weight: 1 });

export const protocolParsers = fuzzProperty("protocol parsers on random and mutated elements: return or throw PushError", 24, () => ({
  property: fc.property(anyElement, (element) => expectNoProblems(elementProblems(element))),
}));

/** Strings as a peer sends them: random, JSON payloads of the service worker, and those damaged. */
const payloadText = fc.oneof(
  anyText,
  fc.json(),
  fc
    .tuple(fc.record({ node: fc.string(), account: fc.string(), summary: fc.record({ messageCount: fc.integer(), lastMessageBody: fc.string() }) }), fc.array(textEdit, { maxLength: 2 }))
    .map(([payload, edits]) => applyTextEdits(encodePushPayload({ v: 1, ...payload }), edits).text),
  fc.base64String().map((base64) => base64.replace(/\+/g, "-")),
);

export const stringParsers = fuzzProperty("JID, base64 and push payload parsers on any string", 5, () => ({
  property: fc.property(payloadText, (text) => expectNoProblems(stringProblems(text))),
}));

/** Serialized protocol elements, damaged: what `parseXml` is handed by a caller reading a peer's data. */
const xmlText = fc.oneof(
  payloadText,
  fc.tuple(protocolElement, fc.array(textEdit, { minLength: 1, maxLength: 3 })).map(([element, edits]) => applyTextEdits(element.toString(), edits).text),
);

/** Shrunk counterexamples: an undefined entity (ltx throws a plain Error) and an end tag with nothing open (a TypeError in @xmpp/xml). */
export const PARSE_XML_ESCAPES = ["<a>&x;</a>", "</a>"];

export const xmlParser = fuzzProperty(
  "parseXml on damaged XML: returns or throws XmlSyntaxError",
  2,
  () => ({ property: fc.property(xmlText, (text) => expectNoProblems(xmlParserProblems(text))), examples: PARSE_XML_ESCAPES }),
);
