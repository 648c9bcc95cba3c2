export * from "./component/index.js";
export * from "./listeners/index.js";
export * from "./web-push/index.js";
export {
  createPushService,
  MAX_BODY_BYTES,
  type MintedSubscription,
  type NextMessageOptions,
  type PushService,
  type PushServiceEvents,
  type PushServiceOptions,
  type RateLimit,
  type ReceivedPushMessage,
  type RefusedPushRequest,
  type SubscribeOptions,
} from "./push-service/index.js";
