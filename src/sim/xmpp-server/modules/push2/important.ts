import type { Element } from "../../../../protocol/index.js";
import { isImportant } from "../push/important.js";

const NS_JINGLE_MESSAGE = "urn:xmpp:jingle-message:0";
const NS_CORRECTION = "urn:xmpp:message-correct:0";

/** mod_push2's `is_voip`: an XEP-0353 call proposal or its retraction; such a push is `high` and bypasses grace. */
export function isVoip(stanza: Element): boolean {
  return stanza.name === "message" && (stanza.getChild("propose", NS_JINGLE_MESSAGE) !== undefined || stanza.getChild("retract", NS_JINGLE_MESSAGE) !== undefined);
}

/**
 * mod_push2's `is_important`: mod_cloud_notify's (the XEP-0357 module's rules, reused), plus a
 * call retraction; a correction (XEP-0308) is not, nor a groupchat message from the account's
 * own nick in that room (its reflection).
 */
export function isImportantForPush2(stanza: Element, ownNick: string | undefined): boolean {
  if (isVoip(stanza)) return true;
  if (stanza.name !== "message") return false;
  if (stanza.getChild("replace", NS_CORRECTION)) return false;
  if (stanza.attrs.type === "groupchat" && ownNick !== undefined && resourceOf(String(stanza.attrs.from ?? "")) === ownNick) return false;
  return isImportant(stanza);
}

function resourceOf(jid: string): string | undefined {
  const slash = jid.indexOf("/");
  return slash === -1 ? undefined : jid.slice(slash + 1);
}
