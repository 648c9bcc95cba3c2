import { cloneElement, type Element, NS, randomHex, xml } from "../../protocol/index.js";
import type { PubsubContext } from "./context.js";
import { pubsubError } from "./errors.js";
import type { PubsubNode } from "./types.js";

/** The node_config field royneary's node_push keeps the publish secret in (its node option `secret`). */
export const SECRET_FIELD = "pubsub#secret";

/**
 * R7: royneary's node_push on a `nodetree: tree` service: a publish must carry the node's secret as the
 * publish-option `secret`, or it is `forbidden` (node_push's answer); a node configured without
 * one takes an empty secret, as node_push's default `[<<"">>]`.
 */
export function checkNodeSecret(node: PubsubNode, options: Record<string, string>): void {
  const secret = node.config[SECRET_FIELD]?.[0] ?? "";
  if ((options.secret ?? "") !== secret) throw pubsubError("forbidden", `wrong secret for '${node.name}'`, { type: "auth" });
}

/**
 * XEP-0060 §7.1.2.1: the item, payload included (node_push's `deliver_payloads`), goes to every
 * subscriber as a headline message (its `notification_type`). The publisher learns nothing of how
 * the subscribers fare: the app server answers for its providers on its own.
 */
export function forwardToSubscribers(context: PubsubContext, node: PubsubNode, publisher: string, itemId: string, payload: Element): void {
  for (const subscriber of node.subscribers) {
    const item = xml("item", { id: itemId }, cloneElement(payload));
    const event = xml("event", { xmlns: NS.pubsubEvent }, xml("items", { node: node.name }, item));
    if (!context.send(xml("message", { from: context.jid, to: subscriber, type: "headline", id: randomHex(8) }, event))) continue;
    context.notify("forwarded", { node: node.name, itemId, publisher, subscriber, at: context.now() });
  }
}
