export { useMemoryTransport, type TransportHost } from "./memory-connection.js";
export { registerMemoryService, findMemoryService, isMemoryService } from "./registry.js";
export type { ClientLink, ServerSession, LinkAcceptor } from "./link.js";
