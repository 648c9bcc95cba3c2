export { MemoryConnection, useMemoryTransport, type TransportHost } from "./memory-connection.js";
export { MemorySocket } from "./memory-socket.js";
export { registerMemoryService, findMemoryService, isMemoryService } from "./registry.js";
export type { ClientLink, ServerSession, LinkAcceptor } from "./link.js";
export { macrotask, createDeliveryQueue } from "./macrotask.js";
