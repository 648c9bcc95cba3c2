import { Element, Parser, XMLError } from "@xmpp/xml";

const NS_FRAMING = "urn:ietf:params:xml:ns:xmpp-framing";

/**
 * RFC 7395 framing on the client side: every frame is a complete element, the stream header is
 * `<open/>` and its end `<close/>` (both in the framing namespace), so the parser reports those
 * as the stream's start and end and every other top-level element as a stanza.
 */
export class FramedParser extends Parser {
  override onStartElement(name: string, attrs?: Record<string, string>): void {
    const element = new Element(name, attrs);
    this.cursor?.append(element);
    this.cursor = element;
  }

  override onEndElement(name: string): void {
    const cursor = this.cursor;
    if (!cursor) return;
    if (name !== cursor.name) {
      this.emit("error", new XMLError(`${cursor.name} must be closed.`));
      return;
    }
    if (cursor.parent) {
      this.cursor = cursor.parent as Element;
      return;
    }
    this.cursor = null;
    if (cursor.is("open", NS_FRAMING)) this.emit("start", cursor);
    else if (cursor.is("close", NS_FRAMING)) this.emit("end", cursor);
    else this.emit("element", cursor);
  }
}
