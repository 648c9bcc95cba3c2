import type { Element, Listener, StanzaErrorCondition, Summary, TigaseEncrypted } from "../../protocol/index.js";
import type { Component } from "../component.js";
import type { AppServerDialectName } from "./dialects/types.js";

/** One device's registration at the app server (royneary mod_push's model: account + provider + device). */
export interface AppRegistration {
  /** The registering account's bare JID. */
  owner: string;
  provider: string;
  deviceId: string;
  deviceName?: string;
  /** The platform token; for Web Push the subscription's endpoint. */
  token: string;
  /** The pubsub node the user's server publishes to: 128 random bits, hex. */
  node: string;
  /** The publish-options secret every publish must carry: 128 random bits, hex. */
  secret: string;
  /** The registration protocol it was made with: its publishes follow that dialect's rules. */
  dialect: AppServerDialectName;
  /** Every field of the submitted form, e.g. endpoint/p256dh/auth, silent-push, application-id. */
  fields: Record<string, string[]>;
  createdAt: number;
}

/** What the app server hands a push provider for one publish. */
export interface ProviderMessage {
  provider: string;
  token: string;
  node: string;
  summary: Summary;
  registration: AppRegistration;
  /** Tigase's encrypted payload, exactly as the publish carried it (T15). */
  encrypted?: TigaseEncrypted;
}

/** A provider's answer, modelled on what APNS, FCM and Web Push services report. */
export type ProviderResult =
  | { ok: true }
  | { ok: false; reason: "token-invalid" }
  /** `retryAfter` in milliseconds, when the push service said how long to wait. */
  | { ok: false; reason: "transient"; retryAfter?: number };

/** Talks to one platform push service (APNS, FCM, a Web Push endpoint, …). */
export interface PushProvider {
  send(message: ProviderMessage): Promise<ProviderResult>;
}

/** A notification a recording provider accepted. */
export interface Delivery {
  provider: string;
  token: string;
  node: string;
  summary: Summary;
  owner: string;
  deviceId: string;
  at: number;
  /** Tigase's encrypted payload, exactly as the publish carried it: the app server never sees plaintext (T15). */
  encrypted?: TigaseEncrypted;
}

/** A publish the app server refused, with the error condition it answered. */
export interface RejectedPublish {
  /** The publish's node, or "" when the publish named none. */
  node: string;
  /** The publisher, or "" when the IQ had no `from`. */
  from: string;
  condition: StanzaErrorCondition;
}

export type AppServerEvents = {
  registered: [AppRegistration];
  unregistered: [AppRegistration];
  delivered: [Delivery];
  rejected: [RejectedPublish];
};

export interface AppServerOptions {
  /**
   * The app server's JID, e.g. `push.example.test`, where devices register: it may be the XMPP
   * server's own domain (royneary's `register_host`, so users need not guess the app server).
   */
  jid: string;
  /**
   * The registration protocols it speaks, each with its commands and publish rules (README
   * "Dialects"). Default `["mod-push"]`.
   */
  dialects?: readonly AppServerDialectName[];
  /** v1 (mod_push_appserver's `push_appserver_rate_limit`): the throttle window per node, in ms. Default 5 000. */
  v1RateLimit?: number;
  /** Where the XMPP servers publish (royneary's `pubsub_host`), returned in the register response. Default: `jid`. */
  pubsubHost?: string;
  /**
   * MUC service domains that may publish for any registration, from a room JID or the domain,
   * still with its secret (M5, M6): rooms push as the user's server does. Default: none.
   */
  mucPublishers?: readonly string[];
  /**
   * A separate XMPP Push Service (royneary's mod_push_push_service; `createPubsubService({ …,
   * pushNodes: "subscribers" })`): each registration's node is created there (with its secret)
   * and subscribed to, deleted at unregistration, and the register response names this JID. The
   * service forwards the publishes here. `jid` may still be the XMPP server's own domain
   * (royneary's register_host with mod_push_push_service, R11).
   */
  pushService?: string;
  /** How long to wait for the push service's answer to a create, subscribe or delete, in ms. Default 10 000. */
  pushServiceTimeout?: number;
  /** Providers by name; each gets a `register-push-<name>` command. Default: a recording provider for each of {@link DEFAULT_PROVIDERS}. */
  providers?: Record<string, PushProvider>;
  /** The array the default recording providers record into (exposed as `deliveries`). Default: a new array. */
  deliveries?: Delivery[];
  /**
   * How many deliveries the default recording providers keep in `deliveries`: past it the oldest
   * is dropped, so a simulator running for days stays bounded. The `delivered` event still fires
   * for every delivery. A positive integer, or `Infinity` to keep all. Default 10 000.
   */
  deliveryLimit?: number;
  /**
   * The most registrations one account (bare JID) holds, over all dialects and providers: another
   * new one is refused `wait/resource-constraint` until one is unregistered; a re-registration
   * of a held device is never refused. A positive integer, or `Infinity`. Default 100.
   */
  registrationsPerOwner?: number;
  /** How long a multi-stage ad-hoc session stays open, in ms. Default 300 000. */
  sessionTimeout?: number;
  /** The clock. Default `Date.now`. */
  now?: () => number;
  /**
   * The VAPID public key (base64url) Web Push subscriptions must be made with. Advertised in an
   * XEP-0128 form on the service's disco#info, so a PWA needs no other channel to learn it.
   */
  vapidPublicKey?: string;
}

export interface AppServer extends Component {
  readonly jid: string;
  /** Where publishes are accepted and what the register response names. */
  readonly pubsubHost: string;
  /** The separate push service the nodes live at, if any. */
  readonly pushService: string | undefined;
  /** The latest `deliveryLimit` deliveries of the recording providers (default 10 000), oldest first; `delivered` fires for every one. */
  readonly deliveries: Delivery[];
  /** Copies of the registrations, of one owner (bare JID) or of everyone. */
  registrations(owner?: string): AppRegistration[];
  /** From now on the recording providers report `token` invalid, as APNS/FCM do for an unregistered device. */
  failToken(token: string): void;
  /** Answers a request IQ with a result or error IQ; never rejects. */
  handleIq(iq: Element): Promise<Element>;
  on<Name extends keyof AppServerEvents>(name: Name, listener: Listener<AppServerEvents[Name]>): this;
  off<Name extends keyof AppServerEvents>(name: Name, listener: Listener<AppServerEvents[Name]>): this;
  once<Name extends keyof AppServerEvents>(name: Name, listener: Listener<AppServerEvents[Name]>): this;
}
