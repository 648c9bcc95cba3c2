import { xml } from "../../../protocol/index.js";
import type { Framing } from "./stream-parser.js";
import { NS_STREAM } from "./stream-error.js";

const NS_FRAMING = "urn:ietf:params:xml:ns:xmpp-framing";

/** How a stream opens and closes: one RFC 6120 XML document (TCP) or RFC 7395 frames (WebSocket, in-memory). */
export interface StreamFraming {
  readonly name: Framing;
  /** A stream restart (after SASL) begins a new document: RFC 6120 needs a fresh parser, RFC 7395 frames do not. */
  readonly freshParserOnRestart: boolean;
  header(attributes: Record<string, string>): string;
  footer(): string;
}

export const rfc7395: StreamFraming = {
  name: "rfc7395",
  freshParserOnRestart: false,
  header: (attributes) => xml("open", { xmlns: NS_FRAMING, ...attributes }).toString(),
  footer: () => xml("close", { xmlns: NS_FRAMING }).toString(),
};

export const rfc6120: StreamFraming = {
  name: "rfc6120",
  freshParserOnRestart: true,
  // The stream header is an open tag that stays open: serialize the element and drop its "/>".
  header: (attributes) =>
    `<?xml version='1.0'?>${xml("stream:stream", { xmlns: "jabber:client", "xmlns:stream": NS_STREAM, ...attributes }).toString().slice(0, -2)}>`,
  footer: () => "</stream:stream>",
};
