import Connection from "@xmpp/connection";
import { Element } from "@xmpp/xml";
import { FramedParser } from "./framed-parser.js";
import { MemorySocket } from "./memory-socket.js";
import { isMemoryService } from "./registry.js";

const NS_FRAMING = "urn:ietf:params:xml:ns:xmpp-framing";

/**
 * An @xmpp/client transport for `memory://` service URIs: RFC 7395 framing (one element per
 * frame, `<open/>` and `<close/>` in the framing namespace) over a {@link MemorySocket} that
 * talks to an in-process reference server.
 */
export class MemoryConnection extends Connection {
  override send(element: Element): Promise<void> {
    element.attrs.xmlns ??= this.NS;
    return super.send(element);
  }

  // @xmpp/client sends several stanzas at once on stream-management resumption.
  async sendMany(elements: Element[]): Promise<void> {
    for (const element of elements) {
      element.attrs.xmlns ??= this.NS;
      element.parent = this.root;
      this.socket?.write(element.toString(), () => {});
      this.emit("send", element);
    }
  }

  override headerElement(): Element {
    return new Element("open", { version: "1.0", xmlns: NS_FRAMING });
  }

  override footerElement(): Element {
    return new Element("close", { xmlns: NS_FRAMING });
  }

  override socketParameters(service: string): string | undefined {
    return isMemoryService(service) ? service : undefined;
  }
}

Object.assign(MemoryConnection.prototype, { Socket: MemorySocket, Parser: FramedParser, NS: "jabber:client" });

/** The minimal view of an @xmpp/client entity the transport needs. */
export interface TransportHost {
  transports: unknown[];
}

/** Makes an @xmpp/client instance able to connect to `memory://` services (tried before the others). */
export function useMemoryTransport(entity: TransportHost): void {
  if (!entity.transports.includes(MemoryConnection)) entity.transports.unshift(MemoryConnection);
}
