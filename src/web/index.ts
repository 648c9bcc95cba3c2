// The `xmpp-push/web` entry: every public name, listed (test/build/public-surface.test.ts checks it).
export { subscribeWebPush, unsubscribeWebPush, type SubscribeWebPushOptions } from "./subscribe.js";
export { subscriptionToToken } from "./subscription-token.js";
export { webPushSubscriber } from "./push2-subscriber.js";
export { base64UrlToBytes, bytesToBase64Url } from "../protocol/base64.js";
export type { WebPushSubscriptionJSON } from "../client/types.js";
