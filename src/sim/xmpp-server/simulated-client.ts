import type { Element } from "../../protocol/index.js";

/** A JID as @xmpp/client reports it. */
export interface ClientJid {
  readonly local: string;
  readonly domain: string;
  readonly resource: string;
  bare(): ClientJid;
  toString(): string;
}

export type ClientStatus =
  | "offline" | "connecting" | "connect" | "opening" | "open" | "online"
  | "closing" | "close" | "disconnecting" | "disconnect";

/**
 * What `XmppServer.client()` returns, described without @xmpp/client's own type packages (they
 * pull in Node's types, which a browser or React Native project does not have). The object is a
 * real @xmpp/client 0.14 instance: cast it to `import("@xmpp/client").Client` where you need
 * more of its surface.
 */
export interface SimulatedClient {
  readonly jid: ClientJid | null;
  readonly status: ClientStatus;
  start(): Promise<ClientJid>;
  /** Closes the stream and the connection (stream management then counts it as a clean logout). */
  stop(): Promise<unknown>;
  send(...stanzas: Element[]): Promise<void>;
  readonly iqCaller: {
    /** Resolves with the whole result `<iq>`; rejects with the error reply (an `XMPPError`). */
    request(stanza: Element, timeout?: number): Promise<Element>;
    get(child: Element, to?: string, timeout?: number): Promise<Element>;
    set(child: Element, to?: string, timeout?: number): Promise<Element>;
  };
  readonly iqCallee: {
    get(ns: string, name: string, handler: (context: { stanza: Element; element: Element }) => Element | boolean | Promise<Element | boolean>): void;
    set(ns: string, name: string, handler: (context: { stanza: Element; element: Element }) => Element | boolean | Promise<Element | boolean>): void;
  };
  /** XEP-0198 state (on by default; enables and resumes by itself). */
  readonly streamManagement: { enabled: boolean; id: string; inbound: number; outbound: number };
  readonly reconnect: { delay: number; stop(): void; start(): void };
  on(event: "online", listener: (jid: ClientJid) => void): this;
  on(event: "stanza" | "element" | "send" | "nonza", listener: (element: Element) => void): this;
  on(event: "status", listener: (status: ClientStatus, value?: unknown) => void): this;
  on(event: "error", listener: (error: Error) => void): this;
  on(event: "offline" | "disconnect" | "connect" | "open" | "close" | "reconnecting", listener: (...args: unknown[]) => void): this;
  on(event: "input" | "output", listener: (data: string) => void): this;
  on(event: string, listener: (...args: never[]) => void): this;
  once(event: "online", listener: (jid: ClientJid) => void): this;
  once(event: "stanza" | "element" | "send" | "nonza", listener: (element: Element) => void): this;
  once(event: "status", listener: (status: ClientStatus, value?: unknown) => void): this;
  once(event: "error", listener: (error: Error) => void): this;
  once(event: "offline" | "disconnect" | "connect" | "open" | "close" | "reconnecting", listener: (...args: unknown[]) => void): this;
  once(event: "input" | "output", listener: (data: string) => void): this;
  once(event: string, listener: (...args: never[]) => void): this;
  removeListener(event: string, listener: (...args: never[]) => void): this;
  off(event: string, listener: (...args: never[]) => void): this;
}
