export { PushClient, registrationId, type PushClientOptions, type PushClientEvents } from "./push-client.js";
export { MemoryStore } from "./store/memory.js";
export type { RegistrationStore } from "./store/types.js";
export { modPush, dialects, findDialect } from "./dialects/index.js";
export type { Dialect, CommandCall, DialectRegisterInput, RegisteredNode } from "./dialects/index.js";
export { executeCommand } from "./commands.js";
export { sendRequest } from "./request.js";
export type * from "./types.js";
export { countIqRepliesInStreamManagement, type StreamManagedConnection } from "./stream-management-count.js";
