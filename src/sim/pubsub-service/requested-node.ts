import { attr, type Element } from "../../protocol/index.js";
import type { PubsubContext } from "./context.js";
import { pubsubError } from "./errors.js";
import type { PubsubNode } from "./types.js";

/** The node a request names (`<subscribe/>`, `<unsubscribe/>`, `<delete/>`, …): `nodeid-required` without one. */
export function requestedNodeName(request: Element): string {
  const name = attr(request, "node");
  if (!name) throw pubsubError("bad-request", `<${request.name}/> without node`, { specific: "nodeid-required" });
  return name;
}

/** A node that does not exist is `item-not-found`, whatever the request (XEP-0060 §6.1.3, §6.2.3.4, §8.4.3.2). */
export function existingNode(context: PubsubContext, name: string): PubsubNode {
  const node = context.nodes.get(name);
  if (!node) throw pubsubError("item-not-found", `no node '${name}'`);
  return node;
}
