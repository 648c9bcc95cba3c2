/** The server's side of one client connection carrying RFC 7395 frames (one XML element per frame). */
export interface ClientLink {
  /** Sends a frame to the client. */
  send(frame: string): void;
  /** Closes the connection from the server side. */
  close(): void;
  /** Whether the channel counts as confidential (SASL PLAIN is offered only then). */
  readonly secure: boolean;
  /** How the stream is delimited: RFC 7395 frames (default; WebSocket, in-memory) or an RFC 6120 XML stream (TCP). */
  readonly framing?: "rfc7395" | "rfc6120";
}

/** What the server returns for an accepted connection: where the client's frames go. */
export interface ServerSession {
  receive(frame: string): void;
  /** The client went away (socket closed without a stream close, or after it). */
  disconnected(): void;
}

/** Anything that accepts client connections: the reference XMPP server. */
export interface LinkAcceptor {
  accept(link: ClientLink): ServerSession;
}
