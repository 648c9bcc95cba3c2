export { subscribeWebPush, unsubscribeWebPush, type SubscribeWebPushOptions } from "./subscribe.js";
export { subscriptionToToken } from "./subscription-token.js";
export { base64UrlToBytes, bytesToBase64Url } from "./base64url.js";
export type { WebPushSubscriptionJSON } from "../client/types.js";
