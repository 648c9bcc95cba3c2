import { base64ToBytes, buildPush2Enable, type Element, PUSH2_MATCH_IMPORTANT, PushError } from "../../protocol/index.js";
import type { Registration, WebPushSubscriptionJSON } from "../types.js";
import { createVapidKeys } from "./keys.js";
import type { Push2Registration, SubscribePush2Options } from "./types.js";

/** The dialect name of Push 2.0 registrations: no app server, the XMPP server pushes itself. */
export const PUSH2_DIALECT = "push2";

/** One Push 2.0 registration per account and device: the server keys it by the session's client id or resource. */
export function push2RegistrationId(account: string): string {
  return `${account} push2`;
}

/**
 * The registration `subscribePush2` stores: a `Registration` of dialect `push2` whose `push2`
 * holds what the enable needs; `jid` and `appServer` are the push service, there is no node (C24).
 */
export async function push2Registration(account: string, options: SubscribePush2Options, stored: Registration | undefined): Promise<Registration> {
  if (!options.service) throw new PushError("bad-request", "subscribePush2 needs the push service jid");
  const ready = typeof options.subscription === "function" ? undefined : options.subscription;
  if (ready && !options.vapidKeys) throw new PushError("bad-request", "a ready subscription needs its vapidKeys");
  // The stored key pair again: the browser's subscription, made with its public key, stays valid.
  const vapidKeys = options.vapidKeys ?? stored?.push2?.vapidKeys ?? (await createVapidKeys());
  const subscription = ready ?? (await (options.subscription as (key: string) => Promise<WebPushSubscriptionJSON>)(vapidKeys.publicKey));
  const push2: Push2Registration = {
    service: options.service,
    endpoint: subscription.endpoint,
    p256dh: subscription.keys.p256dh,
    auth: subscription.keys.auth,
    vapidKeys,
    match: options.match ?? PUSH2_MATCH_IMPORTANT,
    claims: { aud: originOf(subscription.endpoint) },
  };
  if (options.grace !== undefined) push2.grace = options.grace;
  if (options.filters) push2.filters = options.filters.map((filter) => ({ ...filter }));
  const registration: Registration = {
    id: push2RegistrationId(account),
    account,
    appServer: options.service,
    provider: "webpush",
    deviceId: stored?.deviceId ?? "push2",
    dialect: PUSH2_DIALECT,
    token: JSON.stringify({ endpoint: subscription.endpoint, keys: subscription.keys }),
    jid: options.service,
    node: "",
    publishOptions: {},
    registeredAt: stored?.registeredAt ?? Date.now(),
    push2,
  };
  push2EnableOf(push2); // malformed keys are refused here, before anything is sent or stored
  return registration;
}

/** The `<enable xmlns='urn:xmpp:push2:0'>` of a stored registration. */
export function push2EnableOf(push2: Push2Registration): Element {
  return buildPush2Enable({
    ...push2,
    client: push2.endpoint,
    uaPublic: bytesOf(push2.p256dh, "p256dh"),
    authSecret: bytesOf(push2.auth, "auth"),
    jwtKey: bytesOf(push2.vapidKeys.privateKey, "the VAPID private key"),
  });
}

function bytesOf(text: string, what: string): Uint8Array {
  const bytes = base64ToBytes(text);
  if (!bytes) throw new PushError("bad-request", `${what} is not base64`);
  return bytes;
}

/** RFC 8292 §2: the JWT's `aud` is the origin of the push resource. */
function originOf(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    if (url.protocol === "https:" || url.protocol === "http:") return url.origin;
  } catch {
    // not a URL at all: refused below as any other
  }
  throw new PushError("bad-request", `the subscription's endpoint is not an http(s) URL: '${endpoint}'`);
}
