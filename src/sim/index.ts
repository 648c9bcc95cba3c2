// The `xmpp-push/sim` entry: every public name, listed. Anything not here is internal and may
// change in any release; test/build/public-surface.test.ts fails when this list changes unnoticed.

// The reference XMPP server
export { createXmppServer, type RegistrationInfo, type ServerClientOptions, type XmppServer } from "./xmpp-server/server.js";
export type { XmppServerOptions } from "./xmpp-server/options.js";
export type { XmppServerEvents } from "./xmpp-server/events.js";
export type { ClientJid, ClientStatus, SimulatedClient } from "./xmpp-server/simulated-client.js";
export { PRESETS, type Preset, type PresetDefinition } from "./xmpp-server/presets.js";
export type { PushOptions, ShouldPublish } from "./xmpp-server/modules/push/options.js";
export type { PublishNotification, PushService, PushServiceNotification, PushServiceOutcome } from "./xmpp-server/modules/push/virtual-hosts.js";
export type { PushRegistration } from "./xmpp-server/modules/push/registry.js";
export type { StreamManagementOptions } from "./xmpp-server/modules/stream-management/options.js";
export type { MamOptions } from "./xmpp-server/modules/mam/options.js";
export type { OfflineOptions } from "./xmpp-server/modules/offline-options.js";
export type { RosterOptions } from "./xmpp-server/modules/roster-options.js";

// Modules of your own
export type { ModuleName } from "./xmpp-server/modules/index.js";
export type { ClientSession, HookEvents, HookName, IqContext, IqScope, ModuleHost, SaslExchange, ServerModule, StanzaFilter } from "./xmpp-server/module.js";
export type { SaslFailureCondition, SaslOutcome } from "./xmpp-server/c2s/sasl.js";
export type { HookHandler } from "./xmpp-server/hooks.js";
export { StreamError, type StreamErrorCondition } from "./xmpp-server/c2s/stream-error.js";

// Connecting clients and components
export { useMemoryTransport, type TransportHost } from "./transport/memory-connection.js";
export type { ClientLink, LinkAcceptor, ServerSession } from "./transport/link.js";
export type { Component, SendStanza } from "./component.js";

// The app server
export { createAppServer } from "./app-server/app-server.js";
export { createRecordingProvider, DEFAULT_PROVIDERS, type RecordingProvider } from "./app-server/recording-provider.js";
export type {
  AppRegistration,
  AppServer,
  AppServerEvents,
  AppServerOptions,
  Delivery,
  ProviderMessage,
  ProviderResult,
  PushProvider,
  RejectedPublish,
} from "./app-server/types.js";
export type { AppServerDialectName } from "./app-server/dialects/index.js";

// The pubsub service (MongooseIM PubSub-full)
export { createPubsubService } from "./pubsub-service/pubsub-service.js";
export { createRecordingPubsubProvider, MONGOOSEPUSH_SERVICES, type RecordingPubsubProvider } from "./pubsub-service/recording-provider.js";
export type {
  AccessModel,
  Affiliation,
  NodeType,
  PublishModel,
  PubsubDelivery,
  PubsubForward,
  PubsubNode,
  PubsubProvider,
  PubsubPushMessage,
  PubsubService,
  PubsubServiceEvents,
  PubsubServiceOptions,
  PushNodeTarget,
} from "./pubsub-service/types.js";

// The MUC service (XEP-0045) and its push paths
export { createMucService, type MucService } from "./muc/muc-service.js";
export type { MucAffiliation, MucPush, MucRoomInfo, MucServiceEvents, MucServiceOptions } from "./muc/types.js";
