export { useMemoryTransport, type TransportHost } from "./memory-connection.js";
export { registerMemoryService, findMemoryService, isMemoryService } from "./registry.js";
export { Admission, type PendingConnection } from "./admission.js";
export type { ClientLink, ServerSession, LinkAcceptor } from "./link.js";
