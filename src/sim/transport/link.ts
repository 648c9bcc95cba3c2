import type { Admission } from "./admission.js";

/** The server's side of one client connection. */
export interface ClientLink {
  /** Sends data to the client: a frame (RFC 7395) or a piece of the stream (RFC 6120). */
  send(data: string): void;
  /** Closes the connection from the server side. */
  close(): void;
  /**
   * Calls `ready` once what was sent so far has been written out, or little enough of it waits
   * (a socket's buffer below its high-water mark); never, if the connection closes first.
   * Without it, the server waits one macrotask.
   */
  whenWritable?(ready: () => void): void;
  /** Whether the channel counts as confidential (SASL PLAIN is offered only then). */
  readonly secure: boolean;
  /** How the stream is delimited: RFC 7395 frames (default; WebSocket, in-memory) or an RFC 6120 XML stream (TCP). */
  readonly framing?: "rfc7395" | "rfc6120";
  /** The listener's cap on connections that have not authenticated yet. */
  readonly admission?: Admission;
}

/** What the server returns for an accepted connection: where the client's data goes. */
export interface ServerSession {
  /** Data from the client: text, or bytes that must be UTF-8 (invalid UTF-8 ends the stream). */
  receive(data: string | Uint8Array): void;
  /** The client went away (socket closed without a stream close, or after it). */
  disconnected(): void;
}

/** Anything that accepts client connections: the reference XMPP server. */
export interface LinkAcceptor {
  accept(link: ClientLink): ServerSession;
  /** The most characters a stanza may take: a listener caps its frames at it. */
  readonly maxStanzaSize?: number;
}
