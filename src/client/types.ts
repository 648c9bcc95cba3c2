import type { DiscoIdentity, DiscoItem, DataForm, Element, PublishOptions, PushUserOptions, TigaseEnableOptions } from "../protocol/index.js";
import type { TigaseRegistration, TigaseSettings } from "./tigase-settings.js";
import type { Push2Registration } from "./push2/types.js";

/**
 * The part of an XMPP connection the SDK uses. An `@xmpp/client` instance fits as it is; other
 * libraries fit through a small adapter.
 */
export interface XmppConnection {
  /** The bound full JID, once online. */
  readonly jid?: { toString(): string } | null;
  readonly iqCaller: {
    /** Sends an IQ request and resolves with the whole result `<iq>` (rejects on an error reply). */
    request(stanza: Element, timeout?: number): Promise<Element>;
  };
  /**
   * `online` fires after every fresh session (not after a stream resumption); `disconnect` when
   * the connection drops, which fails the requests still waiting for an answer.
   */
  on(event: "online" | "disconnect" | "element" | "stanza", listener: (...args: never[]) => void): unknown;
  removeListener?(event: "online" | "disconnect" | "element" | "stanza", listener: (...args: never[]) => void): unknown;
  /**
   * With `streamManagement`, the XEP-0198 count correction (`PushClientOptions.streamManagementFix`)
   * also listens to `element` and `stanza`, and puts one `element` listener first.
   */
  prependListener?(event: "element", listener: (...args: never[]) => void): unknown;
  /** `@xmpp/client`'s XEP-0198 state; `inbound` is the `h` it acknowledges. */
  readonly streamManagement?:
    | {
        enabled: boolean;
        inbound: number;
        /** `resumed`: the stream came back as the same session (PushClient finishes pending removals then). */
        on?(event: "resumed", listener: () => void): unknown;
        removeListener?(event: "resumed", listener: () => void): unknown;
      }
    | undefined;
  /** `@xmpp/client`'s XEP-0386 Bind2 inline features: `enablePush2Inline()` adds the Push 2.0 enable to the bind request. */
  readonly bind2?: { use(ns: string, request: (element: Element) => Element, result: (element: Element) => Promise<void>): void } | undefined;
}

/** A browser PushSubscription as `subscription.toJSON()` gives it. */
export interface WebPushSubscriptionJSON {
  endpoint: string;
  expirationTime?: number | null;
  keys: { p256dh: string; auth: string };
}

export type ProviderName = "fcm" | "apns" | "webpush" | "gcm" | "mozilla" | "ubuntu" | "wns" | (string & {});

export interface RegisterOptions {
  /** The app server's JID. */
  appServer: string;
  provider: ProviderName;
  /** The platform's device token, or a Web Push subscription. */
  token: string | WebPushSubscriptionJSON;
  /** A stable id for this device; generated (128 random bits) and kept in the store when absent. */
  deviceId?: string;
  deviceName?: string;
  /** Force a dialect instead of discovering it. */
  dialect?: string;
  /**
   * Extra fields for the registration command (e.g. `silent-push`, `application-id`); with the
   * `mongooseim` dialect, extra publish-options (`mode`, `topic`, `silent`, `priority`, …).
   */
  fields?: Record<string, string | string[]>;
  /** With `subscribe()`: what the server may put in the pushes, sent in every enable (royneary's `urn:xmpp:push:options`). */
  pushOptions?: PushUserOptions;
  /**
   * `appServer` is a virtual pubsub host (MongooseIM PubSub-less): the `mongooseim` dialect
   * creates no node there, and unregistering removes nothing there.
   */
  virtualPubsubHost?: boolean;
  /** The `tigase` dialect: its `<enable>` extensions, asked for in every enable, and the VoIP token. */
  tigase?: TigaseSettings;
  /**
   * A group chat's bare JID (`team@conference.example.org`): register a channel of its own for
   * the room at the app server (p2's `muc` field; with mod-push a device id of its own, derived
   * from `deviceId` and the room), and with `subscribe()` enable it at the room rather than at the
   * account. A full or malformed JID is `PushError('bad-request')` before anything is sent;
   * dialects with no room channel (v1, tigase, mongooseim) are `not-supported` (C18).
   */
  muc?: string;
}

/** A device registered at an app server, and what enabling it at the XMPP server needs. */
export interface Registration {
  /** `account appServer provider deviceId`: the store key. */
  id: string;
  /** The XMPP account's bare JID. */
  account: string;
  appServer: string;
  provider: string;
  deviceId: string;
  deviceName?: string;
  dialect: string;
  /** The token as registered (a Web Push subscription as its JSON text). */
  token: string;
  /** The push service (pubsub) JID to enable. */
  jid: string;
  node: string;
  secret?: string;
  /** Sent with `<enable/>` and copied by the server into every publish. */
  publishOptions: Record<string, string>;
  /** The per-user push options `subscribe()` sends with every enable. */
  pushOptions?: PushUserOptions;
  registeredAt: number;
  enabledAt?: number;
  /** Registered at a virtual pubsub host (MongooseIM PubSub-less): no node exists to remove. */
  virtualPubsubHost?: true;
  /** The `tigase` dialect's settings, encryption key and what the component answered. */
  tigase?: TigaseRegistration;
  /** A room's channel: the room's bare JID, where it is enabled and disabled (C18). */
  muc?: string;
  /** A Push 2.0 registration (dialect `push2`): what its `<enable xmlns='urn:xmpp:push2:0'>` needs (C24). */
  push2?: Push2Registration;
  /**
   * The account's server's disco#info features when the registration was stored: later launches
   * answer `isSupported()` from them without asking. Dropped when an enable says the server no
   * longer takes push.
   */
  accountFeatures?: string[];
  /**
   * `unsubscribe()` could not finish: these steps were cut off by a dropped connection, a
   * timeout or a `wait` error. The registration is neither enabled again nor reused; the next
   * session (or stream resumption) and the next `unsubscribe()` try them again (C30).
   */
  pendingRemoval?: RemovalStep[];
}

/** A step of removing a registration: `<disable/>` at the user's server, unregistering at the app server. */
export type RemovalStep = "disable" | "unregister";

/** Where to send a bare `<enable/>`. */
export interface EnableTarget {
  jid: string;
  node: string;
  publishOptions?: PublishOptions;
  /** royneary's per-user options; the server may only ever reduce what it includes. */
  pushOptions?: PushUserOptions;
  /** Tigase's `<enable>` extensions; each is sent only when the account advertises it. */
  tigase?: TigaseEnableOptions;
  /** Send the `<enable/>` to this room (XEP-0357 on a MUC room) instead of the account. */
  muc?: string;
}

/** What the account's server says about push on the account's disco#info. */
export interface ServerPushFeatures {
  /** `urn:xmpp:push:0` is advertised. */
  push: boolean;
  /** `urn:xmpp:push2:0` (Push 2.0) is advertised (C26). */
  push2: boolean;
  features: string[];
  /** The options currently in force for this account, when the server takes the `urn:xmpp:push:options` form (royneary). */
  pushOptions?: PushUserOptions;
}

export interface DisableTarget {
  jid: string;
  node?: string;
  /** Send the `<disable/>` to this room instead of the account. */
  muc?: string;
}

export interface AppServerInfo {
  jid: string;
  identities: DiscoIdentity[];
  features: string[];
  /** The app server's ad-hoc commands (XEP-0050 §2.2). */
  commands: DiscoItem[];
  /** The first known dialect whose commands the app server offers. */
  dialect?: string;
  /** The push providers the dialect's commands name, e.g. `fcm`, `webpush`. */
  providers: string[];
  /** XEP-0128 extended information. */
  forms: DataForm[];
  /** The VAPID public key (base64url) for Web Push subscriptions, when the app server advertises one. */
  vapidPublicKey?: string;
}

/** One registration as the app server lists it. */
export interface ListedRegistration {
  node: string;
  deviceId?: string;
  deviceName?: string;
  provider?: string;
}

export interface UnregisterOptions {
  deviceId?: string;
  nodes?: string[];
  /** The provider registered with: p2 (`unregister-push-<provider>`), v1 (`type`) and tigase unregister per provider. */
  provider?: string;
  /** The `tigase` dialect unregisters a device by provider and token. */
  token?: string;
  /** p2: remove only this room's channel (its `muc` field). */
  muc?: string;
  /** Extra fields for the unregister command. */
  fields?: Record<string, string>;
  /** Force a dialect instead of discovering it (p2 answers no disco). */
  dialect?: string;
}

export interface UnsubscribeOptions {
  /** Only registrations at this app server. */
  appServer?: string;
  /**
   * Only this room's channel. Without it, room channels go too: after `unsubscribe()` no room
   * pushes to this device any more (C21).
   */
  muc?: string;
}

export interface UnsubscribeReport {
  /** The registrations forgotten locally. */
  removed: Registration[];
  /** Those kept with `pendingRemoval`: a step was cut off, and the next session finishes it (C30). */
  pending: Registration[];
  /** Every step that failed; the other steps were still attempted (C16). */
  errors: import("../protocol/index.js").PushError[];
}
