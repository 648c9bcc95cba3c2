import type { Element } from "../../protocol/index.js";
import type { PubsubContext } from "./context.js";
import { pubsubError } from "./errors.js";
import { existingNode, requestedNodeName } from "./requested-node.js";
import { requestedSubscriber } from "./requested-subscriber.js";

/**
 * MG8, XEP-0060 §6.2: `<unsubscribe node='…' jid='…'/>` ends the subscription of exactly that JID
 * (a bare JID's subscription and a full JID's are two), which frees its place on a full node
 * (MG7) and stops its notifications. As in ejabberd's node_flat, the node is looked up first
 * (`item-not-found`), then only the JID's own account may unsubscribe it (`forbidden`, §6.2.3.3),
 * then a JID not subscribed is `cancel/unexpected-request` + `not-subscribed` (§6.2.3.2). The
 * service hands out no subscription IDs, so a `subid` is ignored (§6.2.3.5).
 */
export function unsubscribeNode(context: PubsubContext, requester: string, unsubscribe: Element): undefined {
  const name = requestedNodeName(unsubscribe);
  const subscriber = requestedSubscriber(unsubscribe);
  const node = existingNode(context, name);
  if (subscriber.bare().toString() !== requester) throw pubsubError("forbidden", `${requester} may not unsubscribe ${subscriber.toString()}`);
  if (!node.subscribers.delete(subscriber.toString())) {
    throw pubsubError("unexpected-request", `${subscriber.toString()} is not subscribed to '${name}'`, { type: "cancel", specific: "not-subscribed" });
  }
  return undefined;
}
