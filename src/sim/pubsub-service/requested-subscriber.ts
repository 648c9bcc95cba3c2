import { attr, type Element, type Jid, toJid } from "../../protocol/index.js";
import { pubsubError } from "./errors.js";

/**
 * The JID a `<subscribe/>` or `<unsubscribe/>` names, bare or full. Subscriptions are kept under
 * its canonical form (local and domain lower-cased, the resource as given), as ejabberd keys them
 * by `jid:tolower`, so a JID spelt another way names the same subscription.
 */
export function requestedSubscriber(request: Element): Jid {
  const jid = attr(request, "jid");
  if (!jid) throw pubsubError("bad-request", `<${request.name}/> without jid`, { specific: "invalid-jid" });
  try {
    return toJid(jid);
  } catch {
    throw pubsubError("bad-request", `'${jid}' is no JID`, { specific: "invalid-jid" });
  }
}
