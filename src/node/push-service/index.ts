export { createPushService } from "./push-service.js";
export { MAX_BODY_BYTES } from "./push-request.js";
export type {
  MintedSubscription,
  NextMessageOptions,
  PushService,
  PushServiceEvents,
  PushServiceOptions,
  RateLimit,
  ReceivedPushMessage,
  RefusedPushRequest,
  SubscribeOptions,
  Urgency,
} from "./types.js";
