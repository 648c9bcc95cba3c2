import { type Element, NS } from "../../protocol/index.js";
import { RequestComponent } from "../request-component.js";
import { createIqRouter, type IqRequest } from "../iq-router.js";
import { type PubsubContext, requesterOf } from "./context.js";
import { discoInfo, discoItems } from "./disco.js";
import { pubsubError } from "./errors.js";
import { NodeBook } from "./node-book.js";
import { createNode, deleteNode, listAffiliations, modifyAffiliations } from "./owner.js";
import { publishItem } from "./publish.js";
import { subscribeNode } from "./subscribe.js";
import { unsubscribeNode } from "./unsubscribe.js";
import { createRecordingPubsubProvider, isRecordingPubsubProvider, MONGOOSEPUSH_SERVICES } from "./recording-provider.js";
import { DEFAULT_RECORD_LIMIT, positiveLimit } from "../recent-records.js";
import type { PubsubDelivery, PubsubNode, PubsubProvider, PubsubService, PubsubServiceEvents, PubsubServiceOptions } from "./types.js";

/**
 * A XEP-0060 service with MongooseIM's `push` node type (MongooseIM PubSub-full): clients create
 * their push node, let their server publish, and each publish goes to MongoosePush-like
 * providers by the publish-options `service` and `device_id`. With `pushNodes: "subscribers"` it
 * is royneary's XMPP Push Service instead: an app server creates and subscribes to the nodes, and
 * each publish is forwarded to it.
 */
export function createPubsubService(options: PubsubServiceOptions): PubsubService {
  return new ReferencePubsubService(options);
}

class ReferencePubsubService extends RequestComponent<PubsubServiceEvents> implements PubsubService {
  readonly jid: string;
  readonly deliveries: PubsubDelivery[];
  readonly #context: PubsubContext;

  constructor(options: PubsubServiceOptions) {
    super();
    this.jid = options.jid;
    this.deliveries = options.deliveries ?? [];
    const now = options.now ?? Date.now;
    const deliveryLimit = positiveLimit("deliveryLimit", options.deliveryLimit, DEFAULT_RECORD_LIMIT);
    const providers = options.providers ?? defaultProviders(this.deliveries, now, deliveryLimit);
    this.#context = {
      jid: this.jid,
      nodes: new NodeBook(),
      providers: new Map(Object.entries(providers)),
      now,
      pushNodes: options.pushNodes ?? "provider",
      maxNodesPerOwner: positiveLimit("maxNodesPerOwner", options.maxNodesPerOwner, 100),
      maxSubscribersPerNode: positiveLimit("maxSubscribersPerNode", options.maxSubscribersPerNode, 1000),
      maxAffiliationsPerNode: positiveLimit("maxAffiliationsPerNode", options.maxAffiliationsPerNode, 1000),
      send: (stanza) => this.send(stanza),
      notify: (name, ...args) => this.emit(name, ...args),
    };
  }

  nodes(): PubsubNode[] {
    return this.#context.nodes.list();
  }

  failToken(deviceId: string): void {
    for (const provider of this.#context.providers.values()) if (isRecordingPubsubProvider(provider)) provider.fail(deviceId);
  }

  async handleIq(iq: Element): Promise<Element> {
    const reply = await requests.handle(iq, this.#context);
    reply.attrs.from ??= this.jid;
    return reply;
  }
}

const requests = createIqRouter<PubsubContext>()
  .get(NS.discoInfo, "query", ({ payload, context }) => discoInfo(context, payload))
  .get(NS.discoItems, "query", ({ payload, context }) => discoItems(context, payload))
  .set(NS.pubsub, "pubsub", pubsubSet)
  .get(NS.pubsubOwner, "pubsub", ({ iq, payload, context }) => {
    const affiliations = payload.getChild("affiliations");
    if (!affiliations) throw pubsubError("feature-not-implemented", "this service reads only affiliations");
    return listAffiliations(context, requesterOf(iq), affiliations);
  })
  .set(NS.pubsubOwner, "pubsub", ({ iq, payload, context }) => {
    const requester = requesterOf(iq);
    const remove = payload.getChild("delete");
    if (remove) return deleteNode(context, requester, remove);
    const affiliations = payload.getChild("affiliations");
    if (affiliations) return modifyAffiliations(context, requester, affiliations);
    throw pubsubError("feature-not-implemented", "this service deletes nodes and sets affiliations only");
  });

/** `<pubsub>` sets: create (with configure), subscribe, unsubscribe or publish. */
function pubsubSet({ iq, payload, context }: IqRequest<PubsubContext>): Element | undefined | Promise<Element> {
  const requester = requesterOf(iq);
  const create = payload.getChild("create");
  if (create) return createNode(context, requester, payload, create);
  const subscribe = payload.getChild("subscribe");
  if (subscribe) return subscribeNode(context, requester, subscribe);
  const unsubscribe = payload.getChild("unsubscribe");
  if (unsubscribe) return unsubscribeNode(context, requester, unsubscribe);
  if (payload.getChild("publish")) return publishItem(context, requester, payload);
  throw pubsubError("feature-not-implemented", "this service creates nodes, subscribes, unsubscribes and publishes only");
}

function defaultProviders(deliveries: PubsubDelivery[], now: () => number, limit: number): Record<string, PubsubProvider> {
  return Object.fromEntries(MONGOOSEPUSH_SERVICES.map((service) => [service, createRecordingPubsubProvider(deliveries, now, limit)]));
}
