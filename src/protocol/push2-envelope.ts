/**
 * Reads the plaintext of a Push 2.0 Web Push notification — the XEP-0420 envelope mod_push2
 * encrypts: `<envelope xmlns='urn:xmpp:sce:1'><content><forwarded xmlns='urn:xmpp:forward:0'>
 * <message …/></forwarded></content><rpad/></envelope>` — for a service worker, which has no
 * DOMParser and cannot afford an XML library. A small, bounded reader of plain XML elements,
 * attributes and text with the five named and numeric entities; comments, CDATA, processing
 * instructions, DOCTYPEs, unknown entities, mismatched tags, over 16 384 characters, over 32
 * levels or 512 elements: undefined, never an exception (C28).
 */

/** The forwarded message, as the service worker shows it. */
export interface Push2Message {
  /** The sender as the stanza names it: a full JID, in a groupchat the room's JID with the occupant's nick. */
  sender: string;
  /** The recipient: the account (its full or bare JID) the push is for. */
  to?: string;
  type?: string;
  /** The body text, when the message had one (mod_push2 may have trimmed it). */
  message?: string;
  /** In a groupchat, the occupant's nick (the sender's resource). */
  nickname?: string;
  /** The stanza's `id` and the archive's XEP-0359 stanza-id, to fetch the message after the click. */
  id?: string;
  stanzaId?: string;
}

interface Node {
  name: string;
  ns: string | undefined;
  attrs: Record<string, string>;
  children: Node[];
  text: string;
}

const MAX_LENGTH = 16_384;
const MAX_DEPTH = 32;
const MAX_ELEMENTS = 512;
const NAME = "[A-Za-z_][\\w.-]*(?::[A-Za-z_][\\w.-]*)?";
const TAG = new RegExp(`<(/?)(${NAME})((?:\\s+${NAME}\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*)\\s*(/?)>`, "y");
const ATTRIBUTE = new RegExp(`(${NAME})\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, "g");
const ENTITY = /&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(lt|gt|amp|quot|apos));|&/g;
const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** The forwarded message of a Push 2.0 envelope, or undefined when the text is not one. */
export function readPush2Envelope(text: string): Push2Message | undefined {
  const root = parseElement(text);
  if (!root || root.name !== "envelope" || root.ns !== "urn:xmpp:sce:1") return undefined;
  const forwarded = child(child(root, "content", "urn:xmpp:sce:1"), "forwarded", "urn:xmpp:forward:0");
  const message = child(forwarded, "message", "jabber:client");
  const sender = message?.attrs.from;
  if (!message || !sender) return undefined;
  const read: Push2Message = { sender };
  const { to, type, id } = message.attrs;
  if (to) read.to = to;
  if (type) read.type = type;
  if (id) read.id = id;
  const body = child(message, "body", "jabber:client");
  if (body) read.message = body.text;
  const slash = sender.indexOf("/");
  if (type === "groupchat" && slash > 0) read.nickname = sender.slice(slash + 1);
  const stanzaId = child(message, "stanza-id", "urn:xmpp:sid:0")?.attrs.id;
  if (stanzaId) read.stanzaId = stanzaId;
  return read;
}

function child(parent: Node | undefined, name: string, ns: string): Node | undefined {
  return parent?.children.find((candidate) => candidate.name === name && candidate.ns === ns);
}

/** One element and its descendants, or undefined for anything but a plain well-formed element. */
function parseElement(text: string): Node | undefined {
  if (typeof text !== "string" || text.length > MAX_LENGTH) return undefined;
  const stack: Node[] = [];
  let root: Node | undefined;
  let count = 0;
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf("<", at);
    const chunk = decode(text.slice(at, open < 0 ? text.length : open));
    if (chunk === undefined) return undefined;
    const parent = stack[stack.length - 1];
    if (parent) parent.text += chunk;
    else if (chunk.trim()) return undefined;
    if (open < 0) break;
    TAG.lastIndex = open;
    const tag = TAG.exec(text);
    if (!tag) return undefined;
    at = TAG.lastIndex;
    const [, closing, name, attributes, selfClosing] = tag as unknown as [string, string, string, string, string];
    if (closing) {
      if (selfClosing || attributes || stack.pop()?.name !== name) return undefined;
      continue;
    }
    if (root && stack.length === 0) return undefined;
    if (++count > MAX_ELEMENTS || stack.length >= MAX_DEPTH) return undefined;
    const attrs: Record<string, string> = {};
    for (const [, key, double, single] of attributes!.matchAll(ATTRIBUTE)) {
      const value = decode(double ?? single ?? "");
      if (value === undefined || key! in attrs) return undefined;
      attrs[key!] = value;
    }
    const node: Node = { name: name!, ns: attrs.xmlns ?? parent?.ns, attrs, children: [], text: "" };
    if (parent) parent.children.push(node);
    else root = node;
    if (!selfClosing) stack.push(node);
  }
  return stack.length === 0 ? root : undefined;
}

function decode(text: string): string | undefined {
  let bad = false;
  const decoded = text.replace(ENTITY, (whole, hex: string | undefined, decimal: string | undefined, named: string | undefined) => {
    if (named) return NAMED[named]!;
    const code = hex ? parseInt(hex, 16) : decimal ? Number(decimal) : NaN;
    if (!(code > 0 && code <= 0x10ffff) || (code >= 0xd800 && code <= 0xdfff)) bad = true;
    return bad ? whole : String.fromCodePoint(code);
  });
  return bad ? undefined : decoded;
}
