export { DEFAULT_TTL, webPushProvider } from "./web-push-provider.js";
export { generateVapidKeys } from "./vapid-keys.js";
export { WebPushDeliveryError } from "./errors.js";
export { MAX_PLAINTEXT_BYTES } from "./payload.js";
export { topicForNode } from "./topic.js";
export { parseRetryAfter } from "./retry-after.js";
export type { Urgency } from "./request.js";
export type { Fetch, VapidDetails, WebPushProvider, WebPushProviderEvents, WebPushProviderOptions } from "./types.js";
