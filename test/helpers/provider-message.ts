import type { Summary } from "../../src/protocol/index.js";
import type { AppRegistration, ProviderMessage } from "../../src/sim/index.js";

/** What the app server hands its Web Push provider for bob's registration with this subscription. */
export function webPushMessageFor(subscription: { endpoint: string; keys: { p256dh: string; auth: string } }, node: string, summary: Summary): ProviderMessage {
  const registration: AppRegistration = {
    owner: "bob@example.test",
    provider: "webpush",
    deviceId: "phone",
    dialect: "mod-push",
    token: subscription.endpoint,
    node,
    secret: "secret",
    fields: { endpoint: [subscription.endpoint], p256dh: [subscription.keys.p256dh], auth: [subscription.keys.auth] },
    createdAt: 0,
  };
  return { provider: "webpush", token: subscription.endpoint, node, summary, registration };
}
