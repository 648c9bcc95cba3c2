import type { Element, Listener, Summary } from "../../protocol/index.js";
import type { Component } from "../component.js";
import type { ProviderResult } from "../app-server/types.js";

/** XEP-0060 §4.1 affiliations; `publish-only` is the one MongooseIM's client-side guide gives the user's server. */
export type Affiliation = "owner" | "publisher" | "publish-only" | "member" | "none" | "outcast";

/** XEP-0060 node types this service creates: `push` (MongooseIM's node_push) and plain `leaf`. */
export type NodeType = "push" | "leaf";

export type AccessModel = "open" | "presence" | "roster" | "authorize" | "whitelist";
export type PublishModel = "publishers" | "subscribers" | "open";

/** One node, as the service keeps it. */
export interface PubsubNode {
  readonly name: string;
  readonly type: NodeType;
  /** The creator's bare JID. */
  readonly owner: string;
  accessModel: AccessModel;
  publishModel: PublishModel;
  /** Bare JID → affiliation; the owner is in it. */
  readonly affiliations: Map<string, Affiliation>;
  /** Every field of the configure form, as submitted (FORM_TYPE left out). */
  readonly config: Record<string, string[]>;
  /** The JIDs subscribed to the node (XEP-0060 §6.1), bare or full as they subscribed, local and domain lower-cased; `<unsubscribe/>` removes one (§6.2). */
  readonly subscribers: Set<string>;
  readonly createdAt: number;
}

/**
 * What a push node hands its provider for one publish: MongoosePush's view, the summary and the
 * publish-options (`device_id`, `service`, and the optional `mode`, `topic`, `silent`, `priority`, …).
 */
export interface PubsubPushMessage {
  /** The publish-options' `service`: `fcm` or `apns` for MongoosePush. */
  service: string;
  /** The publish-options' `device_id`: the platform token. */
  deviceId: string;
  node: string;
  /** The publisher's JID (the user's server, or the user). */
  publisher: string;
  summary: Summary;
  /** Every publish-option, single-valued. */
  publishOptions: Record<string, string>;
}

/** Sends a push node's notifications to a platform, as MongoosePush does. */
export interface PubsubProvider {
  send(message: PubsubPushMessage): Promise<ProviderResult>;
}

/** A notification a recording provider accepted. */
export interface PubsubDelivery extends PubsubPushMessage {
  at: number;
}

/** One event notification a forwarding push node sent to a subscriber (royneary's push service). */
export interface PubsubForward {
  node: string;
  itemId: string;
  /** The publisher's bare JID (the user's server, or the user). */
  publisher: string;
  subscriber: string;
  at: number;
}

export type PubsubServiceEvents = {
  created: [PubsubNode];
  deleted: [PubsubNode];
  delivered: [PubsubDelivery];
  forwarded: [PubsubForward];
};

/**
 * Where a push node's publishes go: `"provider"` (MongooseIM's node_push hands them to
 * MongoosePush by the publish-options `service` and `device_id`) or `"subscribers"` (royneary's
 * node_push on a `nodetree: tree` service, mod_push_push_service: the publish-options must carry
 * the node's `pubsub#secret`, and the item goes to the node's subscribers — the app server that
 * created the node — as a XEP-0060 event notification).
 */
export type PushNodeTarget = "provider" | "subscribers";

export interface PubsubServiceOptions {
  /** The service's JID, e.g. `pubsub.example.test`. */
  jid: string;
  /** Providers by publish-options `service`. Default: a recording provider for `fcm` and one for `apns`. */
  providers?: Record<string, PubsubProvider>;
  /** The array the default recording providers record into (exposed as `deliveries`). Default: a new array. */
  deliveries?: PubsubDelivery[];
  /**
   * How many deliveries the default recording providers keep in `deliveries`: past it the oldest
   * is dropped. The `delivered` event still fires for every delivery. A positive integer, or
   * `Infinity` to keep all. Default 10 000.
   */
  deliveryLimit?: number;
  /** The clock. Default `Date.now`. */
  now?: () => number;
  /** Where push nodes send their publishes. Default `"provider"`. */
  pushNodes?: PushNodeTarget;
  /**
   * The most nodes one requester (bare JID) may have created at a time: one more `<create/>` is
   * refused `cancel/not-allowed` + `<max-nodes-exceeded xmlns='…pubsub#errors'/>` (MG6); after
   * a delete it may create again. A positive integer, or `Infinity`. Default 100, as the app
   * server's `registrationsPerOwner`.
   */
  maxNodesPerOwner?: number;
  /**
   * The most JIDs subscribed to one node: a `<subscribe/>` of one more is refused
   * `cancel/not-allowed` + `<closed-node xmlns='…pubsub#errors'/>`, as ejabberd's
   * `max_subscriptions_node` does (MG7); a JID already subscribed may subscribe again. A positive
   * integer, or `Infinity`. Default 1000.
   */
  maxSubscribersPerNode?: number;
  /**
   * The most affiliations one node keeps, its owner's included: an owner's `<affiliations/>` set
   * that would leave more is refused whole, `wait/resource-constraint`, as the MUC service's
   * `maxAffiliations` (MG7). A positive integer, or `Infinity`. Default 1000.
   */
  maxAffiliationsPerNode?: number;
}

export interface PubsubService extends Component {
  readonly jid: string;
  /** The latest `deliveryLimit` deliveries of the recording providers (default 10 000), oldest first; `delivered` fires for every one. */
  readonly deliveries: PubsubDelivery[];
  /** Snapshots of the nodes. */
  nodes(): PubsubNode[];
  /** From now on the recording providers report `deviceId` unregistered, as FCM/APNS do. */
  failToken(deviceId: string): void;
  /** Answers a request IQ with a result or error IQ; never rejects. */
  handleIq(iq: Element): Promise<Element>;
  on<Name extends keyof PubsubServiceEvents>(name: Name, listener: Listener<PubsubServiceEvents[Name]>): this;
  off<Name extends keyof PubsubServiceEvents>(name: Name, listener: Listener<PubsubServiceEvents[Name]>): this;
}
