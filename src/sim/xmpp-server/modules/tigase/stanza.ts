import type { Element } from "../../../../protocol/index.js";
import { TIGASE } from "./namespaces.js";

/** The XEP-0353 element of a message (`propose`, `retract`, `accept`, `proceed`, `reject`, …), as Tigase finds it: any child in that namespace. */
export function jingleMessageOf(stanza: Element | undefined): Element | undefined {
  if (!stanza || stanza.name !== "message") return undefined;
  return stanza.getChildElements().find((child) => child.attrs.xmlns === TIGASE.jingleMessage);
}

/** An OMEMO message (legacy or v1), whose body Tigase replaces with its placeholder. */
export function isOmemo(stanza: Element): boolean {
  return stanza.getChild("encrypted", "eu.siacs.conversations.axolotl") !== undefined || stanza.getChild("encrypted", "urn:xmpp:omemo:1") !== undefined;
}

/** `encrypted-message-body`, Tigase's default text for OMEMO messages. */
export const OMEMO_PLACEHOLDER = "New secure message. Open to see the message.";

/** The message's body as Tigase reads it: the `body` child's text, present even when empty. */
export function rawBodyOf(stanza: Element): string | undefined {
  const body = stanza.getChild("body");
  return body ? body.text() : undefined;
}
