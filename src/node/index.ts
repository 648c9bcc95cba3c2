// The `xmpp-push/sim/node` entry: every public name, listed. Anything not here is internal and may
// change in any release; test/build/public-surface.test.ts fails when this list changes unnoticed.

// TCP and WebSocket listeners for the reference server
export { listenTcp } from "./listeners/tcp.js";
export { listenWebSocket, type WebSocketListenOptions } from "./listeners/websocket.js";
export type { ListenOptions, XmppListener } from "./listeners/listener.js";

// The app server as an XEP-0114 component of a real XMPP server
export { connectComponent, type ComponentLink, type ComponentLinkEvents, type ComponentLinkOptions, type ComponentLinkStatus } from "./component/link.js";
export { ComponentLinkError, type ComponentLinkErrorCode } from "./component/errors.js";
export type { ReconnectOptions } from "./component/backoff.js";

// A Web Push provider for the app server
export { DEFAULT_TTL, webPushProvider } from "./web-push/web-push-provider.js";
export { generateVapidKeys } from "./web-push/vapid-keys.js";
export { WebPushDeliveryError } from "./web-push/errors.js";
export type { Urgency } from "./web-push/request.js";
export type { Fetch, VapidDetails, WebPushProvider, WebPushProviderEvents, WebPushProviderOptions } from "./web-push/types.js";

// A Push 2.0 relay: notifications from the XMPP server to Web Push
export { createPush2Relay } from "./push2-relay/relay.js";
export type { Push2Relay, Push2RelayEvents, Push2RelayLogEntry, Push2RelayOptions, Push2RelayOutcome, Push2RelayState } from "./push2-relay/types.js";

// An RFC 8030 push service
export { createPushService } from "./push-service/push-service.js";
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
} from "./push-service/types.js";
