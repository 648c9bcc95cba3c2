import { attr, bareJid, type Element, NS, randomHex, xml } from "../../protocol/index.js";
import type { PubsubContext } from "./context.js";
import { pubsubError } from "./errors.js";
import { parseConfigure } from "./node-config.js";
import { existingNode, requestedNodeName } from "./requested-node.js";
import type { Affiliation, NodeType, PubsubNode } from "./types.js";

const AFFILIATIONS: readonly Affiliation[] = ["owner", "publisher", "publish-only", "member", "none", "outcast"];

/**
 * XEP-0060 §8.1: `<create node='…' type='push'/>` with an optional `<configure>`. `type='push'`
 * is MongooseIM's extension naming its node_push plugin. A node that exists is a `conflict`; a
 * push node needs a name (node_push has no instant nodes: `not-acceptable` + `nodeid-required`).
 * A requester holding `maxNodesPerOwner` nodes creates no more: `not-allowed` +
 * `max-nodes-exceeded` (MG6).
 */
export function createNode(context: PubsubContext, requester: string, pubsub: Element, create: Element): Element | undefined {
  const type = nodeTypeOf(attr(create, "type"));
  const given = attr(create, "node");
  if (given === undefined && type === "push") throw pubsubError("not-acceptable", "a push node needs a name", { specific: "nodeid-required" });
  const name = given ?? randomHex(16);
  if (context.nodes.has(name)) throw pubsubError("conflict", `node '${name}' exists`);
  if (context.nodes.owned(requester) >= context.maxNodesPerOwner) {
    throw pubsubError("not-allowed", `at most ${context.maxNodesPerOwner} nodes per owner`, { specific: "max-nodes-exceeded" });
  }
  const config = parseConfigure(pubsub.getChild("configure"), type);
  const node = context.nodes.create(name, type, requester, config, context.now());
  context.notify("created", node);
  // §8.1.2: only an instant node's name is news to the requester.
  return given === undefined ? xml("pubsub", { xmlns: NS.pubsub }, xml("create", { node: name })) : undefined;
}

/** XEP-0060 §8.4: only the owner deletes. */
export function deleteNode(context: PubsubContext, requester: string, request: Element): undefined {
  const node = ownedNode(context, requester, request);
  context.nodes.delete(node.name);
  context.notify("deleted", node);
  return undefined;
}

/** XEP-0060 §8.9.1: the owner reads the node's affiliations. */
export function listAffiliations(context: PubsubContext, requester: string, request: Element): Element {
  const node = ownedNode(context, requester, request);
  const entries = [...node.affiliations].map(([jid, affiliation]) => xml("affiliation", { jid, affiliation }));
  return xml("pubsub", { xmlns: NS.pubsubOwner }, xml("affiliations", { node: node.name }, ...entries));
}

/**
 * XEP-0060 §8.9.2: the owner sets affiliations; `none` removes one. A set that would leave the
 * node more than `maxAffiliationsPerNode` is refused whole, `wait/resource-constraint` (MG7).
 */
export function modifyAffiliations(context: PubsubContext, requester: string, request: Element): undefined {
  const node = ownedNode(context, requester, request);
  const changes = request.getChildren("affiliation").map((entry) => {
    const jid = attr(entry, "jid");
    const affiliation = attr(entry, "affiliation");
    if (!jid || !affiliation || !(AFFILIATIONS as readonly string[]).includes(affiliation)) {
      throw pubsubError("not-acceptable", "each affiliation needs a jid and a known affiliation");
    }
    return [bareOrRefuse(jid), affiliation as Affiliation] as const;
  });
  const after = new Set(node.affiliations.keys());
  for (const [jid, affiliation] of changes) {
    if (affiliation === "none") after.delete(jid);
    else after.add(jid);
  }
  if (after.size > context.maxAffiliationsPerNode) {
    throw pubsubError("resource-constraint", `'${node.name}' keeps at most ${context.maxAffiliationsPerNode} affiliations`, { type: "wait" });
  }
  for (const [jid, affiliation] of changes) {
    if (affiliation === "none") node.affiliations.delete(jid);
    else node.affiliations.set(jid, affiliation);
  }
  return undefined;
}

function ownedNode(context: PubsubContext, requester: string, request: Element): PubsubNode {
  const node = existingNode(context, requestedNodeName(request));
  if (node.affiliations.get(requester) !== "owner") throw pubsubError("forbidden", `${requester} does not own '${node.name}'`);
  return node;
}

function nodeTypeOf(type: string | undefined): NodeType {
  if (type === undefined || type === "leaf" || type === "flat") return "leaf";
  if (type === "push") return "push";
  throw pubsubError("not-acceptable", `this service creates no '${type}' nodes`);
}

function bareOrRefuse(jid: string): string {
  try {
    return bareJid(jid);
  } catch {
    throw pubsubError("jid-malformed", `'${jid}' is no JID`);
  }
}
