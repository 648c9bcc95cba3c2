import { type Element, Parser } from "@xmpp/xml";

/** The stream header a client socket receives before any stanza (RFC 6120 §4.2). */
const STREAM_OPEN = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>";

/**
 * Parses one serialized element with the streaming `Parser` of `@xmpp/xml`, the one a socket
 * uses: the text is fed inside a stream header and the element comes out of the parser's
 * `element` event, exactly as a stanza received on a connection. Throws when the XML is not
 * well-formed or does not hold exactly one top-level element.
 */
export function parseXml(source: string): Element {
  const parser = new Parser();
  const elements: Element[] = [];
  const errors: unknown[] = [];
  parser.on("element", (element: Element) => elements.push(element));
  parser.on("error", (error: unknown) => errors.push(error));
  parser.write(STREAM_OPEN);
  parser.write(source);
  if (errors.length > 0) throw errors[0];
  if (elements.length !== 1) {
    throw new Error(`expected exactly one element, parsed ${elements.length} from ${source}`);
  }
  return elements[0] as Element;
}

/** build → toString() → parse: what the peer sees of `element`. */
export function roundTrip(element: Element): Element {
  return parseXml(element.toString());
}
