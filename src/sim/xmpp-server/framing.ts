import FramedParser from "@xmpp/websocket/lib/FramedParser.js";
import { type Element, Parser, xml } from "../../protocol/index.js";

const NS_FRAMING = "urn:ietf:params:xml:ns:xmpp-framing";
const NS_STREAM = "http://etherx.jabber.org/streams";

/** A streaming parser that emits `start` (stream header), `element`, `end` (stream close) and `error`. */
export interface StreamParser {
  on(event: "start" | "element", listener: (element: Element) => void): unknown;
  on(event: "end", listener: () => void): unknown;
  on(event: "error", listener: (error: unknown) => void): unknown;
  write(data: string): void;
}

/** How a transport delimits the stream: RFC 7395 frames (WebSocket, in-memory) or one RFC 6120 XML document (TCP). */
export interface Framing {
  readonly name: "rfc7395" | "rfc6120";
  createParser(): StreamParser;
  /** A stream restart (after SASL) begins a new document: RFC 6120 needs a fresh parser, RFC 7395 frames do not. */
  readonly freshParserOnRestart: boolean;
  header(attributes: Record<string, string>): string;
  footer(): string;
}

export const rfc7395: Framing = {
  name: "rfc7395",
  createParser: () => new FramedParser() as unknown as StreamParser,
  freshParserOnRestart: false,
  header: (attributes) => xml("open", { xmlns: NS_FRAMING, ...attributes }).toString(),
  footer: () => xml("close", { xmlns: NS_FRAMING }).toString(),
};

export const rfc6120: Framing = {
  name: "rfc6120",
  createParser: () => new Parser() as unknown as StreamParser,
  freshParserOnRestart: true,
  // The stream header is an open tag that stays open: serialize the element and drop its "/>".
  header: (attributes) =>
    `<?xml version='1.0'?>${xml("stream:stream", { xmlns: "jabber:client", "xmlns:stream": NS_STREAM, ...attributes }).toString().slice(0, -2)}>`,
  footer: () => "</stream:stream>",
};
