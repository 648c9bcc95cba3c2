import { type Client, xml } from "@xmpp/client";
import { attr, type Element, randomHex } from "../../../src/protocol/index.js";
import { withTimeout } from "./wait.js";

export const NS_MAM = "urn:xmpp:mam:2";
export const NS_SID = "urn:xmpp:sid:0";
const NS_RSM = "http://jabber.org/protocol/rsm";

export interface ArchivedResult {
  /** The result's id: the message's archive id. */
  id: string;
  body: string | undefined;
}

/**
 * The last `max` archived messages exchanged with `withJid` (XEP-0313 §4.1.2 with an empty
 * RSM `<before/>`): the results arrive as messages before the IQ result that ends the query.
 */
export async function lastArchived(xmpp: Client, withJid: string, max = 10): Promise<ArchivedResult[]> {
  const queryid = `q${randomHex(6)}`;
  const results: ArchivedResult[] = [];
  const listener = (stanza: Element): void => {
    const result = stanza.is("message") ? stanza.getChild("result", NS_MAM) : undefined;
    if (!result || attr(result, "queryid") !== queryid) return;
    results.push({ id: attr(result, "id") ?? "", body: result.getChild("forwarded")?.getChild("message")?.getChildText("body") ?? undefined });
  };
  xmpp.on("stanza", listener);
  try {
    const form = xml(
      "x",
      { xmlns: "jabber:x:data", type: "submit" },
      xml("field", { var: "FORM_TYPE", type: "hidden" }, xml("value", {}, NS_MAM)),
      xml("field", { var: "with" }, xml("value", {}, withJid)),
    );
    const rsm = xml("set", { xmlns: NS_RSM }, xml("max", {}, String(max)), xml("before"));
    await withTimeout(xmpp.iqCaller.request(xml("iq", { type: "set" }, xml("query", { xmlns: NS_MAM, queryid }, form, rsm))), 10_000, "the MAM query");
    return results;
  } finally {
    xmpp.removeListener("stanza", listener);
  }
}

/**
 * Sets the account's archiving default (XEP-0313 §6.1): ejabberd's mod_mam archives nothing
 * until a user asks (`default: never`), Prosody's archives everything.
 */
export async function setArchivingDefault(xmpp: Client, policy: "always" | "never"): Promise<void> {
  await withTimeout(xmpp.iqCaller.request(xml("iq", { type: "set" }, xml("prefs", { xmlns: NS_MAM, default: policy }))), 10_000, "the MAM prefs");
}
