import { attr, bareJid, type Element, NS, parseNotification } from "../../protocol/index.js";
import type { AppServerContext } from "./context.js";
import { conditionOf } from "./iq-errors.js";
import { deliverSummary } from "./publish.js";

/**
 * R8: royneary's push-service topology: the XMPP Push Service checked the secret and forwards each
 * publish as a XEP-0060 event notification. Only notifications from that service count; each
 * item's `<notification/>` goes to its node's provider. A notification is a message, so nothing
 * is answered: failures are "rejected" events, and a device the provider rejected loses its
 * node at the service too, so that the user's server hears `item-not-found` at its next publish.
 */
export async function receiveForwarded(context: AppServerContext, message: Element): Promise<void> {
  const service = context.pushService;
  if (!service || !isFrom(message, service.service)) return;
  const items = message.getChild("event", NS.pubsubEvent)?.getChild("items");
  const node = items && attr(items, "node");
  if (!node) return;
  for (const item of items.getChildren("item")) {
    const payload = item.getChild("notification", NS.push);
    if (payload) await deliverForwarded(context, node, payload);
  }
}

async function deliverForwarded(context: AppServerContext, node: string, payload: Element): Promise<void> {
  const service = context.pushService!;
  const registration = context.registrations.get(node);
  try {
    if (registration) await deliverSummary(context, registration, parseNotification(payload).summary ?? {});
  } catch (error) {
    context.notify("rejected", { node, from: service.service, condition: conditionOf(error) });
  }
  if (!registration) context.notify("rejected", { node, from: service.service, condition: "item-not-found" });
  // A failed delete is tried again at the node's next forwarded publish, which finds no registration either.
  if (!context.registrations.get(node)) await service.delete(node).catch(() => undefined);
}

function isFrom(stanza: Element, jid: string): boolean {
  const from = attr(stanza, "from");
  try {
    return from !== undefined && bareJid(from) === jid;
  } catch {
    return false;
  }
}
