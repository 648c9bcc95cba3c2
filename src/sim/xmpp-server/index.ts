export { createXmppServer, XmppServer, type ServerClientOptions, type RegistrationInfo, type XmppServerEvents } from "./server.js";
export { PRESETS } from "./options.js";
export type { XmppServerOptions, PushOptions, ShouldPublish, StreamManagementOptions, Preset } from "./options.js";
export type { PushRegistration } from "./push-registry.js";
