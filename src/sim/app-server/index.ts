export { createAppServer } from "./app-server.js";
export { LIST_COMMAND, registerCommandNode, UNREGISTER_COMMAND } from "./command-nodes.js";
export { createRecordingProvider, DEFAULT_PROVIDERS, type RecordingProvider } from "./recording-provider.js";
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
} from "./types.js";
