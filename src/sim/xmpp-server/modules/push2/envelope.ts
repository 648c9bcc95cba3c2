import { buildSceEnvelope, bytesToBase64, cloneElement, type Element, NS_SCE, xml } from "../../../../protocol/index.js";

const NS_SID = "urn:xmpp:sid:0";
/** What survives the first minimisation: the body, attachments, the archive id, encryption, calls, invitations (mod_push2's list). */
const KEPT_NAMESPACES = new Set([
  "jabber:client",
  "jabber:x:oob",
  NS_SID,
  "eu.siacs.conversations.axolotl",
  "urn:xmpp:omemo:0",
  "jabber:x:encrypted",
  "urn:xmpp:openpgp:0",
  NS_SCE,
  "urn:xmpp:jingle-message:0",
  "jabber:x:conference",
]);
/** What the last minimisation keeps besides the body. */
const ESSENTIAL_NAMESPACES = new Set([NS_SID, "urn:xmpp:jingle-message:0", "jabber:x:conference"]);
const TRIMMED_BODY_CHARS = 50;
const MAX_RPAD_BYTES = 150;

/**
 * The XEP-0420 envelope of `stanza` as the notification encrypts it, at most `maxBytes` of UTF-8
 * (P2S8): the whole stanza when it fits; else, step by step as mod_push2 does, only the kept
 * elements, the body cut to 50 characters without quoted lines, only the essential ones; and last
 * the body cut further until it fits. The archive's `<stanza-id/>` is kept throughout. Then
 * random `<rpad/>` while there is room, so sizes tell less.
 */
export function envelopeBytes(stanza: Element, maxBytes: number): Uint8Array {
  const copy = cloneElement(stanza);
  let envelope = buildSceEnvelope(copy);
  const fits = () => size(envelope) <= maxBytes;
  const rebuild = () => void (envelope = buildSceEnvelope(copy));
  if (!fits()) {
    keepOnly(copy, (child) => KEPT_NAMESPACES.has(namespaceOf(child)));
    rebuild();
  }
  const body = stanza.getChildText("body");
  if (!fits() && body !== null && [...body].length > TRIMMED_BODY_CHARS) {
    setBody(copy, `${[...withoutQuotes(body)].slice(0, TRIMMED_BODY_CHARS).join("")}…`);
    rebuild();
  }
  if (!fits()) {
    keepOnly(copy, (child) => child.name === "body" || ESSENTIAL_NAMESPACES.has(namespaceOf(child)));
    rebuild();
  }
  while (!fits()) {
    const text = copy.getChildText("body");
    if (!text) break;
    setBody(copy, [...text].slice(0, Math.floor([...text].length / 2)).join(""));
    rebuild();
  }
  const room = Math.floor(((maxBytes - size(envelope) - "<rpad></rpad>".length) * 3) / 4);
  const padding = Math.min(MAX_RPAD_BYTES, room);
  if (padding > 0) envelope = buildSceEnvelope(copy, bytesToBase64(globalThis.crypto.getRandomValues(new Uint8Array(padding))));
  return new TextEncoder().encode(envelope.toString());
}

function size(element: Element): number {
  return new TextEncoder().encode(element.toString()).length;
}

function namespaceOf(element: Element): string {
  return element.getNS() || "jabber:client";
}

function keepOnly(stanza: Element, keep: (child: Element) => boolean): void {
  stanza.children = stanza.children.filter((child) => typeof child !== "string" && keep(child));
}

function setBody(stanza: Element, text: string): void {
  const at = stanza.children.findIndex((child) => typeof child !== "string" && child.name === "body");
  const body = xml("body", {}, text);
  if (at === -1) stanza.children.push(body);
  else stanza.children[at] = body;
}

/** The body without its XEP-0393 quotes (lines starting with `>`), as mod_push2 trims it. */
function withoutQuotes(body: string): string {
  return body
    .split("\n")
    .filter((line) => !line.startsWith(">"))
    .join("\n")
    .replace(/^\s/, "");
}
