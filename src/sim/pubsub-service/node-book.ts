import type { NodeConfig } from "./node-config.js";
import type { Affiliation, NodeType, PubsubNode } from "./types.js";

/** The service's nodes by name, and how many each creator owns. */
export class NodeBook {
  readonly #nodes = new Map<string, PubsubNode>();
  readonly #ownedBy = new Map<string, number>();

  get(name: string): PubsubNode | undefined {
    return this.#nodes.get(name);
  }

  has(name: string): boolean {
    return this.#nodes.has(name);
  }

  /** XEP-0060 §8.1: the creator becomes the node's owner. */
  create(name: string, type: NodeType, owner: string, config: NodeConfig, now: number): PubsubNode {
    const node: PubsubNode = {
      name,
      type,
      owner,
      accessModel: config.accessModel,
      publishModel: config.publishModel,
      affiliations: new Map<string, Affiliation>([[owner, "owner"]]),
      config: config.fields,
      subscribers: new Set<string>(),
      createdAt: now,
    };
    this.#nodes.set(name, node);
    this.#ownedBy.set(owner, this.owned(owner) + 1);
    return node;
  }

  delete(name: string): void {
    const node = this.#nodes.get(name);
    if (!node) return;
    this.#nodes.delete(name);
    const left = this.owned(node.owner) - 1;
    if (left > 0) this.#ownedBy.set(node.owner, left);
    else this.#ownedBy.delete(node.owner);
  }

  /** How many nodes `owner` (a bare JID) created that still exist. */
  owned(owner: string): number {
    return this.#ownedBy.get(owner) ?? 0;
  }

  list(): PubsubNode[] {
    return [...this.#nodes.values()].map(snapshot);
  }
}

export function affiliationOf(node: PubsubNode, bareJid: string): Affiliation {
  return node.affiliations.get(bareJid) ?? "none";
}

function snapshot(node: PubsubNode): PubsubNode {
  return { ...node, affiliations: new Map(node.affiliations), config: structuredClone(node.config), subscribers: new Set(node.subscribers) };
}
