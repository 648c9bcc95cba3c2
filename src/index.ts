// The `xmpp-push` entry: every public name, listed. Anything not here is internal and may change
// in any release; test/build/public-surface.test.ts fails when this list changes unnoticed.

// The SDK
export { PushClient, type PushClientEvents, type PushClientOptions, type PushExtension } from "./client/push-client.js";
export { push2, type Push2Extension } from "./client/push2/extension.js";
export { rooms, type RoomsExtension } from "./client/rooms.js";
export { MemoryStore } from "./client/store/memory.js";
export type { RegistrationStore } from "./client/store/types.js";
export type {
  AppServerInfo,
  DisableTarget,
  EnableTarget,
  ListedRegistration,
  ProviderName,
  RegisterOptions,
  Registration,
  RemovalStep,
  ServerPushFeatures,
  UnregisterOptions,
  UnsubscribeOptions,
  UnsubscribeReport,
  WebPushSubscriptionJSON,
  XmppConnection,
} from "./client/types.js";
export { dialects, modPush, mongooseim, p2, tigase, v1 } from "./client/dialects/index.js";
export { decryptNotification, type EncryptionKeyHolder } from "./client/decrypt-notification.js";
export type { TigaseRegistration, TigaseSettings } from "./client/tigase-settings.js";
export type {
  CommandCall,
  CommandDialect,
  Dialect,
  DialectChannel,
  DialectRegisterInput,
  EnableExtensions,
  PubsubRegisteredNode,
  PubsubRegisterInput,
  RegisteredNode,
  RequestsDialect,
} from "./client/dialects/types.js";
export type { Push2Registration, Push2Subscriber, Push2VapidKeys, SubscribePush2Options } from "./client/push2/types.js";
export { trace, type TraceableConnection, type TraceEvent, type TraceLog } from "./client/trace.js";

// Errors
export {
  buildStanzaError,
  parseStanzaError,
  PushError,
  type LocalErrorCondition,
  type PushErrorCondition,
  type PushErrorOptions,
  type StanzaErrorCondition,
  type StanzaErrorType,
} from "./protocol/errors.js";

// The protocol layer: what the SDK and the simulators put on the wire, built and parsed
export type { Element } from "./protocol/xml.js";
export { NS } from "./protocol/namespaces.js";
export {
  buildDisable,
  buildEnable,
  buildNotification,
  buildSummary,
  parseDisable,
  parseEnable,
  parseNotification,
  parseSummary,
  publishOptionValues,
  type DisableRequest,
  type EnableRequest,
  type Notification,
  type ParsedEnable,
  type PublishOptions,
  type Summary,
} from "./protocol/push.js";
export { buildPublish, parsePublish, type ParsedPublish, type PublishRequest } from "./protocol/pubsub.js";
export {
  buildForm,
  findForm,
  formFromValues,
  getField,
  getValue,
  getValues,
  parseForm,
  type DataForm,
  type FieldOption,
  type FieldType,
  type FieldValue,
  type FormField,
  type FormType,
} from "./protocol/forms.js";
export {
  buildCommandRequest,
  buildCommandResponse,
  parseCommandRequest,
  parseCommandResponse,
  type CommandAction,
  type CommandNote,
  type CommandRequest,
  type CommandResponse,
  type CommandStatus,
  type NoteType,
} from "./protocol/adhoc.js";
export {
  buildDiscoInfo,
  buildDiscoInfoQuery,
  buildDiscoItems,
  buildDiscoItemsQuery,
  parseDiscoInfo,
  parseDiscoItems,
  type DiscoIdentity,
  type DiscoInfo,
  type DiscoItem,
  type DiscoItems,
} from "./protocol/disco.js";
export { encodePushPayload, parsePushPayload, VAPID_PUBLIC_KEY_FIELD, WEBPUSH_FORM_TYPE, type PushPayload } from "./protocol/push-payload.js";
export { buildPushOptionsForm, parsePushOptionsForm, PUSH_OPTIONS_FORM_TYPE, type PushUserOptions } from "./protocol/push-options.js";
export { PUSH2_MATCH } from "./protocol/push2.js";
export {
  buildPush2Disable,
  buildPush2Enable,
  PUSH2_NS,
  PUSH2_SEND_WEBPUSH,
  type Push2EnableRequest,
  type Push2Filter,
} from "./protocol/push2-enable.js";
export {
  applyTigaseEnable,
  buildEncrypted,
  parseEncrypted,
  parseTigaseEnable,
  parseTigaseNotification,
  TIGASE_NS,
  type TigaseEnableOptions,
  type TigaseEncrypted,
  type TigaseGroupchatRoom,
  type TigaseNotification,
} from "./protocol/tigase-push.js";
