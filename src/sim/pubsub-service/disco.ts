import { attr, buildDiscoInfo, buildDiscoItems, type Element, NS } from "../../protocol/index.js";
import type { PubsubContext } from "./context.js";
import { pubsubError } from "./errors.js";

/**
 * The XEP-0060 §10 features this service implements, as `pubsub#…` features: MongooseIM's
 * node_push ones, and `create-and-configure` (a `<configure/>` beside `<create/>`),
 * `instant-nodes` (a leaf without a name gets one, §8.1.2) and `subscribe` (§6.1, with
 * unsubscribe §6.2). Not `config-node`: the owner's `<configure/>` is not answered.
 */
const PUSH_FEATURES = [
  "create-and-configure",
  "create-nodes",
  "delete-nodes",
  "instant-nodes",
  "modify-affiliations",
  "publish",
  "publish-options",
  "publish-only-affiliation",
  "retrieve-affiliations",
  "subscribe",
].map((feature) => `${NS.pubsub}#${feature}`);

/** disco#info: a pubsub service with the `pubsub/push` identity MongooseIM adds for its push plugin. */
export function discoInfo(context: PubsubContext, query: Element): Element {
  const node = attr(query, "node");
  if (node !== undefined) {
    const found = context.nodes.get(node);
    if (!found) throw pubsubError("item-not-found", `no node '${node}'`);
    return buildDiscoInfo({ node, identities: [{ category: "pubsub", type: "leaf" }], features: [NS.pubsub], forms: [] });
  }
  return buildDiscoInfo({
    identities: [
      { category: "pubsub", type: "service", name: "Publish-Subscribe" },
      { category: "pubsub", type: "push" },
    ],
    features: [NS.discoInfo, NS.discoItems, NS.pubsub, ...PUSH_FEATURES],
    forms: [],
  });
}

/** disco#items: push nodes are private (whitelist), so the service lists none. */
export function discoItems(_context: PubsubContext, query: Element): Element {
  const node = attr(query, "node");
  return buildDiscoItems(node === undefined ? { items: [] } : { node, items: [] });
}
