// @xmpp/component 0.13 ships no types: only the part the component link uses.
declare module "@xmpp/component" {
  import type { EventEmitter } from "node:events";
  import type { Socket } from "node:net";
  import type { Element } from "@xmpp/xml";

  export interface ComponentOptions {
    service: string;
    domain: string;
    password: string;
  }

  /** What @xmpp/middleware hands each incoming element. */
  export interface IncomingContext {
    stanza: Element;
    name: string;
    type: string;
    id: string;
  }

  /**
   * An incoming middleware. For an IQ get/set, @xmpp/iq's callee turns the value into the one
   * reply: an `<error/>` element → error IQ, another element → result IQ carrying it, any other
   * truthy value → empty result, nothing → `service-unavailable`.
   */
  export type Middleware = (context: IncomingContext, next: () => Promise<unknown>) => unknown;

  export interface XmppComponent extends EventEmitter {
    status: string;
    /** The parser class each stream gets (`new this.Parser()`), from the prototype unless set on the instance. */
    Parser: new () => EventEmitter & { write(data: string): void };
    /** The current stream's parser; null between streams and after a parser error. */
    parser: unknown;
    /** Feeds socket data to the parser (bound when the socket is attached). */
    _onData(data: Buffer): void;
    /** Default wait of the stream open/close steps, ms. */
    timeout: number;
    socket: Socket | null;
    start(): Promise<void>;
    stop(): Promise<unknown>;
    send(element: Element): Promise<void>;
    reconnect: { stop(): void };
    middleware: { use(middleware: Middleware): Middleware };
  }

  export function component(options: ComponentOptions): XmppComponent;
}
