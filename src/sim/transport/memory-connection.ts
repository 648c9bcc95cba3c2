import ConnectionWebSocket from "@xmpp/websocket/lib/Connection.js";
import { MemorySocket } from "./memory-socket.js";
import { isMemoryService } from "./registry.js";

/**
 * An @xmpp/client transport for `memory://` service URIs: RFC 7395 framing (borrowed from the
 * WebSocket transport) over a {@link MemorySocket} that talks to an in-process reference server.
 */
export class MemoryConnection extends ConnectionWebSocket {
  override socketParameters(service: string): string | undefined {
    return isMemoryService(service) ? service : undefined;
  }
}

Object.assign(MemoryConnection.prototype, { Socket: MemorySocket });

/** The minimal view of an @xmpp/client entity the transport needs. */
export interface TransportHost {
  transports: unknown[];
}

/** Makes an @xmpp/client instance able to connect to `memory://` services (tried before the others). */
export function useMemoryTransport(entity: TransportHost): void {
  if (!entity.transports.includes(MemoryConnection)) entity.transports.unshift(MemoryConnection);
}
