import { type Element, NS_FORWARD } from "../../../../protocol/index.js";

const NS_CARBONS = "urn:xmpp:carbons:2";
const NS_JINGLE_MESSAGE = "urn:xmpp:jingle-message:0";
/** OMEMO (both), XEP-0027 and XEP-0373: the body cannot be read, so the message counts as important. */
export const ENCRYPTED: readonly (readonly [string, string])[] = [
  ["encrypted", "eu.siacs.conversations.axolotl"],
  ["encrypted", "urn:xmpp:omemo:0"],
  ["x", "jabber:x:encrypted"],
  ["openpgp", "urn:xmpp:openpgp:0"],
];

/**
 * mod_cloud_notify's `is_important` (prosody-modules, 2023-02; PT4): a message worth waking the
 * device for. A carbon is judged by the message it carries, and a sent carbon never is; a
 * headline never is; an encrypted message or a call proposal always is; a groupchat subject
 * is not; otherwise any message with a non-empty body.
 */
export function isImportant(stanza: Element): boolean {
  if (stanza.name !== "message") return false;
  const carbon = carbonOf(stanza);
  if (carbon?.direction === "sent") return false;
  const message = carbon?.message ?? stanza;
  const type = message.attrs.type;
  if (type === "headline") return false;
  if (ENCRYPTED.some(([name, xmlns]) => message.getChild(name, xmlns))) return true;
  if (message.getChild("propose", NS_JINGLE_MESSAGE)) return true;
  if (type === "groupchat" && message.getChildText("subject") !== null) return false;
  return Boolean(message.getChildText("body"));
}

/** mod_cloud_notify's `is_urgent`: a call proposal pushes to every registration at once. */
export function isUrgent(stanza: Element): boolean {
  return stanza.name === "message" && Boolean(stanza.getChild("propose", NS_JINGLE_MESSAGE));
}

function carbonOf(stanza: Element): { direction: "sent" | "received"; message: Element } | undefined {
  for (const direction of ["sent", "received"] as const) {
    const message = stanza.getChild(direction, NS_CARBONS)?.getChild("forwarded", NS_FORWARD)?.getChild("message");
    if (message) return { direction, message };
  }
  return undefined;
}
