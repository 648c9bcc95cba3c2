import { attr, bareJid, type Element } from "../../protocol/index.js";
import { pubsubError } from "./errors.js";
import type { NodeBook } from "./node-book.js";
import type { PubsubProvider, PubsubServiceEvents, PushNodeTarget } from "./types.js";

/** What the request handlers share: the service's state and a way to raise its events. */
export interface PubsubContext {
  readonly jid: string;
  readonly nodes: NodeBook;
  readonly providers: ReadonlyMap<string, PubsubProvider>;
  readonly now: () => number;
  readonly pushNodes: PushNodeTarget;
  /** The most nodes one requester (bare JID) may have created (MG6). */
  readonly maxNodesPerOwner: number;
  /** The most JIDs subscribed to one node (MG7). */
  readonly maxSubscribersPerNode: number;
  /** The most affiliations one node keeps, the owner's included (MG7). */
  readonly maxAffiliationsPerNode: number;
  /** Routes a stanza of the service's own through the server; false when the service is not linked. */
  send(stanza: Element): boolean;
  notify<Name extends keyof PubsubServiceEvents>(name: Name, ...args: PubsubServiceEvents[Name]): void;
}

/** The requester's bare JID, which the XMPP server stamps on every stanza it routes. */
export function requesterOf(iq: Element): string {
  const from = attr(iq, "from");
  if (from === undefined) throw pubsubError("bad-request", "request without a from address");
  return bareJid(from);
}
