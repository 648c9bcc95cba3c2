import type { DataForm, DiscoInfo, Element, FieldValue, TigaseEnableOptions } from "../../protocol/index.js";
import type { TigaseRegistration, TigaseSettings } from "../tigase-settings.js";
import type { ListedRegistration, UnregisterOptions, WebPushSubscriptionJSON } from "../types.js";

export interface DialectRegisterInput {
  provider: string;
  token: string | WebPushSubscriptionJSON;
  deviceId: string;
  deviceName?: string;
  fields?: Record<string, string | string[]>;
  /** A room's bare JID, for dialects whose command names the room (`rooms: "muc-field"`). */
  muc?: string;
  /** Tigase: the device's VoIP token (`subscribe({ tigase: { voipToken } })`), its `device-second-token`. */
  voipToken?: string;
}

/** One ad-hoc command to execute: its node and the values of its submit form. */
export interface CommandCall {
  node: string;
  values: Record<string, FieldValue | undefined>;
}

/** What registering gives back: where to enable. */
export interface RegisteredNode {
  jid: string;
  node: string;
  secret?: string;
  /** Tigase: what the component supports for this device, and its payload limit in bytes. */
  features?: string[];
  maxPayloadSize?: number;
}

/**
 * An app server's registration protocol: which ad-hoc commands to run with which fields, and how
 * to read their result forms.
 */
export interface CommandDialect {
  readonly name: string;
  readonly kind?: "command";
  /**
   * How the dialect registers a group chat's own channel: `muc-field`, the command names the room
   * (p2's `muc`); `device-per-room`, the app server knows no rooms, so the room registers as a
   * device of its own (mod-push). Absent: no room channels (`not-supported`).
   */
  readonly rooms?: "muc-field" | "device-per-room";
  /**
   * The app server gives every device of an account the same node (Tigase, T16), so the user's
   * server holds one enable for all of them: a new token keeps the node and only the old token is
   * unregistered, and `unsubscribe()` sends no `<disable/>`, which would end the other devices'
   * pushes (T17).
   */
  readonly accountNode?: true;
  /** Whether an app server offering these command nodes speaks this dialect. */
  matches(commandNodes: readonly string[]): boolean;
  /** The providers the offered commands name. */
  providers(commandNodes: readonly string[]): string[];
  register(input: DialectRegisterInput): CommandCall;
  /** Reads the completed command's form; no jid or node → `PushError('bad-response')` (C10). */
  parseRegistered(form: DataForm | undefined, appServer?: string): RegisteredNode;
  list(): CommandCall;
  parseList(form: DataForm | undefined): ListedRegistration[];
  unregister(options: UnregisterOptions): CommandCall;
  /** The nodes the app server says it removed (or, when its answer names none, those asked for). */
  parseUnregistered(form: DataForm | undefined, options: UnregisterOptions): string[];
  /** Tigase's `<enable>` extensions (`subscribe({ tigase })`, T4); absent: `tigase` options are `not-supported`. */
  readonly enableExtensions?: EnableExtensions;
  /** Tigase: the push component among the account's server's disco#items (`push.findPushComponent()`, T1). */
  findPushComponent?(channel: DialectChannel, requiredFeatures: readonly string[]): Promise<string | undefined>;
}

/** How `subscribe({ tigase })` keeps Tigase's settings on the registration and every `<enable/>` sends them. */
export interface EnableExtensions {
  /** The registration's Tigase part; keeps `previous`'s key when encryption stays on. */
  keep(settings: TigaseSettings, answered: { features?: string[]; maxPayloadSize?: number }, previous?: TigaseRegistration): TigaseRegistration;
  /** Adds the extensions the account advertises to `enable`; a registration records them as `applied`. */
  apply(enable: Element, tigase: TigaseRegistration | TigaseEnableOptions, advertised: readonly string[]): void;
}

/** How a requests dialect talks: IQ requests from the account, answered or failed as `PushError`s. */
export interface DialectChannel {
  /** The account's bare JID. */
  readonly account: string;
  request(iq: Element): Promise<Element>;
}

export interface PubsubRegisterInput extends DialectRegisterInput {
  /** The pubsub service (or virtual pubsub host) JID. */
  service: string;
  /** A virtual pubsub host (MongooseIM PubSub-less): create no node. */
  virtualPubsubHost: boolean;
}

/** What registering at a pubsub service gives back: where to enable, with which publish-options. */
export interface PubsubRegisteredNode {
  jid: string;
  node: string;
  publishOptions: Record<string, string>;
}

/**
 * A registration protocol made of its own requests rather than one ad-hoc command: MongooseIM's
 * PubSub-full setup creates a push node at a XEP-0060 service.
 */
export interface RequestsDialect {
  readonly name: string;
  readonly kind: "requests";
  /** Whether a service with this disco#info speaks the dialect. */
  matchesService(info: DiscoInfo): boolean;
  register(channel: DialectChannel, input: PubsubRegisterInput): Promise<PubsubRegisteredNode>;
  /** Removes what `register` made at `service`; returns the nodes removed. */
  unregister(channel: DialectChannel, service: string, nodes: readonly string[]): Promise<string[]>;
}

export type Dialect = CommandDialect | RequestsDialect;
