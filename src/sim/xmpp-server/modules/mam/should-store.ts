import type { Element } from "../../../../protocol/index.js";

/** Which messages mod_mam archives (its `should_store`, Prosody 0.12), in its order of checks. */
export function shouldStore(stanza: Element): boolean {
  const type = stanza.attrs.type ?? "normal";
  if (type === "headline") return false;
  // Bounces to a full JID tell the sender a message of theirs was not delivered.
  if (type === "error") return String(stanza.attrs.to ?? "").includes("/");
  if (type === "groupchat") return false;
  if (stanza.getChild("no-store", HINTS) || stanza.getChild("no-permanent-store", HINTS)) return false;
  if (stanza.getChild("store", HINTS)) return true;
  if (stanza.getChild("body") || stanza.getChild("subject")) return true;
  if (stanza.getChild("encryption", "urn:xmpp:eme:0")) return true;
  return stanza.children.some((child) => typeof child !== "string" && STORED_NAMESPACES.includes(String(child.attrs.xmlns)) ) || isInvite(stanza);
}

const HINTS = "urn:xmpp:hints";
/** Receipts, chat markers and Jingle call messages are archived without a body. */
const STORED_NAMESPACES = ["urn:xmpp:receipts", "urn:xmpp:chat-markers:0", "urn:xmpp:jingle-message:0", "urn:xmpp:jingle-message:1"];

function isInvite(stanza: Element): boolean {
  return Boolean(stanza.getChild("x", "jabber:x:conference") || stanza.getChild("x", "http://jabber.org/protocol/muc#user")?.getChild("invite"));
}
