import type { Push2Filter } from "../../protocol/index.js";
import type { WebPushSubscriptionJSON } from "../types.js";

/** Makes the browser's Web Push subscription with this VAPID public key (base64url); `webPushSubscriber()` of `xmpp-push/web` gives one. */
export type Push2Subscriber = (applicationServerKey: string) => Promise<WebPushSubscriptionJSON>;

export interface SubscribePush2Options {
  /** The push service (relay) JID the XMPP server sends notifications to. */
  service: string;
  /**
   * The browser's subscription: a `Push2Subscriber` (`webPushSubscriber(registration)` of
   * `xmpp-push/web`), called with this device's VAPID public key, or a subscription already
   * made with `vapidKeys`' public key.
   */
  subscription: Push2Subscriber | WebPushSubscriptionJSON;
  /** With a ready `subscription`: the key pair it was made with. Otherwise one is made (or the stored one reused). */
  vapidKeys?: Push2VapidKeys;
  /** The match profile (default `urn:xmpp:push2:match:important`). */
  match?: string;
  /** Seconds of activity on another session during which pushes pause. */
  grace?: number;
  /** Per-chat filters: a listed chat pushes only on what is set (mention, reply); with neither it is muted. */
  filters?: readonly Push2Filter[];
}

/** A device's VAPID (RFC 8292) key pair as the enable needs it. */
export interface Push2VapidKeys {
  /** The raw uncompressed P-256 point, base64url: the subscription's applicationServerKey. */
  publicKey: string;
  /** PKCS#8 DER, standard base64: the enable's `<jwt-key>`. */
  privateKey: string;
}

/** What a Push 2.0 registration keeps to send its enable again after every fresh session. */
export interface Push2Registration {
  service: string;
  /** The Web Push endpoint: the enable's `<client>`. */
  endpoint: string;
  /** The subscription's `p256dh` and `auth`, base64url as the browser gives them. */
  p256dh: string;
  auth: string;
  vapidKeys: Push2VapidKeys;
  match: string;
  grace?: number;
  filters?: Push2Filter[];
  /** JWT claims for the server to sign: `aud`, the endpoint's origin. */
  claims: Record<string, string>;
}
