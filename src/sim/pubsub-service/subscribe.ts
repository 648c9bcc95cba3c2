import { type Element, NS, xml } from "../../protocol/index.js";
import type { PubsubContext } from "./context.js";
import { pubsubError } from "./errors.js";
import { affiliationOf } from "./node-book.js";
import { existingNode, requestedNodeName } from "./requested-node.js";
import { requestedSubscriber } from "./requested-subscriber.js";

/** Who may subscribe to a whitelist node (XEP-0060 §6.1.3.4): those the owner named. */
const WHITELISTED = ["owner", "publisher", "member"];

/**
 * R7, XEP-0060 §6.1: `<subscribe node='…' jid='…'/>`. The JID must be the requester's own (bare or
 * full); a push node's whitelist admits its owner, which is how royneary's app server gets the
 * notifications of the nodes it created. A node holding `maxSubscribersPerNode` JIDs takes no
 * new one (MG7): `not-allowed` + `closed-node`, ejabberd's answer for its `max_subscriptions_node`.
 */
export function subscribeNode(context: PubsubContext, requester: string, subscribe: Element): Element {
  const name = requestedNodeName(subscribe);
  const subscriber = requestedSubscriber(subscribe);
  if (subscriber.bare().toString() !== requester) throw pubsubError("bad-request", "one subscribes only oneself", { specific: "invalid-jid" });
  const node = existingNode(context, name);
  const affiliation = affiliationOf(node, requester);
  if (affiliation === "outcast") throw pubsubError("forbidden", `${requester} is banned from '${name}'`);
  if (node.accessModel === "whitelist" && !WHITELISTED.includes(affiliation)) {
    throw pubsubError("not-allowed", `'${name}' is whitelist-only`, { type: "cancel", specific: "closed-node" });
  }
  const jid = subscriber.toString();
  if (!node.subscribers.has(jid) && node.subscribers.size >= context.maxSubscribersPerNode) {
    throw pubsubError("not-allowed", `'${name}' has as many subscribers as it may (${context.maxSubscribersPerNode})`, { type: "cancel", specific: "closed-node" });
  }
  node.subscribers.add(jid);
  return xml("pubsub", { xmlns: NS.pubsub }, xml("subscription", { node: name, jid, subscription: "subscribed" }));
}
