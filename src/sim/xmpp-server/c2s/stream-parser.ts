import { SaxesParser, type SaxesTagPlain, type XMLDecl } from "saxes";
import { Element, xml } from "../../../protocol/index.js";
import { NS_STREAM, NS_XMPP_ERRORS, StreamError } from "./stream-error.js";

const NS_FRAMING = "urn:ietf:params:xml:ns:xmpp-framing";

/** How much input is tokenized before the size limit is checked again: the work past the limit stays bounded. */
const PIECE = 16_384;

export interface StreamLimits {
  /** The most characters one stanza (or anything between two stanzas) may take. */
  readonly maxStanzaSize: number;
  /** The deepest element nesting inside a stanza; the stanza element itself is depth 1. */
  readonly maxDepth: number;
}

export interface StreamParserEvents {
  /** The stream header: `<stream:stream>` (RFC 6120) or `<open/>` (RFC 7395). */
  header(open: Element): void;
  /** A complete top-level element: a stanza or a nonza such as `<auth/>` or `<r/>`. */
  element(element: Element): void;
  /** `</stream:stream>` or `<close/>`. */
  close(): void;
  /** The input broke a rule; nothing more is parsed after it. */
  error(error: StreamError): void;
}

export type Framing = "rfc6120" | "rfc7395";

/** saxes as the stream parser runs it: no namespace processing (ltx resolves them), XML 1.0 only. */
type Saxes = SaxesParser<{ xmlns: false; fragment: boolean; forceXMLVersion: true; defaultXMLVersion: "1.0" }>;

/**
 * The reference server's XML stream parser: saxes, a conformant streaming XML tokenizer, builds
 * the same ltx elements as @xmpp/xml, under the limits a server open to anyone needs. RFC 6120
 * §11.1 restricted XML (DOCTYPE, comments, processing instructions, entities other than the five
 * predefined) ends the stream with `restricted-xml`, any other syntax error with
 * `not-well-formed`, a stanza over the size limit with `policy-violation` + `<stanza-too-big/>`
 * as soon as the limit is passed. Work and memory stay linear in the input.
 */
export class StreamParser {
  readonly #framing: Framing;
  readonly #limits: StreamLimits;
  readonly #events: StreamParserEvents;
  readonly #saxes: Saxes;
  /** Open elements of the stanza being read; empty between stanzas. */
  readonly #open: Element[] = [];
  /** Input position where the current stanza (or the gap before it) began. */
  #boundary = 0;
  /** RFC 6120 only: the `<stream:stream>` root has been read. */
  #inStream = false;
  /** RFC 6120 only: the stream root, whose namespace declarations hold for every stanza. */
  #header: Element | undefined;
  #stopped = false;
  /** Characters handed to saxes so far. */
  #consumed = 0;
  /**
   * Top-level elements completed in the piece being tokenized, handed out once the piece is done:
   * saxes reports a mismatched end tag only after closing the element, which is then withdrawn.
   */
  readonly #completed: Element[] = [];
  #justCompleted = false;

  constructor(framing: Framing, limits: StreamLimits, events: StreamParserEvents) {
    this.#framing = framing;
    this.#limits = limits;
    this.#events = events;
    // RFC 7395 frames are a sequence of top-level elements; RFC 6120 is one document.
    this.#saxes = new SaxesParser({ xmlns: false, fragment: framing === "rfc7395", forceXMLVersion: true, defaultXMLVersion: "1.0" });
    listen(this.#saxes, {
      openTagStartHandler: () => {
        this.#justCompleted = false;
        this.#checkDepth();
      },
      openTagHandler: (tag) => this.#openTag(tag),
      closeTagHandler: () => this.#closeTag(),
      textHandler: (text) => this.#text(text),
      cdataHandler: (text) => this.#text(text),
      xmldeclHandler: (declaration) => this.#declaration(declaration),
      doctypeHandler: () => this.#fail(new StreamError("restricted-xml", "a DOCTYPE is not allowed in XMPP (RFC 6120 §11.1)")),
      commentHandler: () => this.#fail(new StreamError("restricted-xml", "comments are not allowed in XMPP (RFC 6120 §11.1)")),
      piHandler: () => this.#fail(new StreamError("restricted-xml", "processing instructions are not allowed in XMPP (RFC 6120 §11.1)")),
      errorHandler: (error) => {
        // saxes closes the element first and only then finds the end tag's name wrong.
        if (this.#justCompleted && error.message.endsWith("unexpected close tag.")) this.#completed.pop();
        this.#fail(syntaxError(error));
      },
    });
  }

  /** Parses more of the stream. Never throws: a problem is reported once through `error`. */
  write(text: string): void {
    for (let offset = 0; offset < text.length && !this.#stopped; offset += PIECE) {
      const piece = text.length <= PIECE ? text : text.slice(offset, offset + PIECE);
      this.#saxes.write(piece);
      // saxes' own position is exact only while it parses; between writes it is off by a piece.
      this.#consumed += piece.length;
      this.#checkSize(this.#consumed);
      this.#flush();
    }
  }

  /** Ignores all further input (the stream ended, or restarts with a fresh parser). */
  stop(): void {
    this.#stopped = true;
  }

  #flush(): void {
    this.#justCompleted = false;
    const completed = this.#completed.splice(0);
    for (const element of completed) {
      if (this.#stopped) return;
      this.#emit(element);
    }
  }

  #emit(element: Element): void {
    if (this.#framing === "rfc7395" && element.getNS() === NS_FRAMING && (element.name === "open" || element.name === "close")) {
      if (element.name === "open") this.#events.header(element);
      else this.#events.close();
      return;
    }
    this.#events.element(element);
  }

  #openTag(tag: SaxesTagPlain): void {
    if (this.#stopped) return;
    if (this.#framing === "rfc6120" && !this.#inStream) {
      this.#inStream = true;
      const header = elementOf(tag);
      if (!header.is("stream", NS_STREAM)) {
        this.#fail(new StreamError("invalid-namespace", `the stream root must be <stream:stream xmlns:stream='${NS_STREAM}'>`));
        return;
      }
      this.#header = header;
      this.#boundary = this.#saxes.position;
      this.#events.header(header);
      return;
    }
    const element = elementOf(tag);
    const parent = this.#open[this.#open.length - 1];
    if (parent) parent.cnode(element);
    this.#open.push(element);
    const unbound = this.#unboundName(element);
    if (unbound !== undefined) this.#fail(new StreamError("bad-namespace-prefix", `'${unbound}' has no declared prefix`));
  }

  /**
   * The element's or an attribute's name when it is no QName or its prefix is declared by no
   * enclosing element (nor the stream root): saxes does not resolve namespaces, and such XML is
   * not namespace-well-formed.
   */
  #unboundName(element: Element): string | undefined {
    if (!this.#isBound(element, element.name)) return element.name;
    for (const name in element.attrs) if (!this.#isBound(element, name)) return name;
    return undefined;
  }

  #isBound(element: Element, name: string): boolean {
    const colon = name.indexOf(":");
    if (colon === -1) return true;
    // A QName has one colon between a non-empty prefix and a non-empty local part.
    if (colon === 0 || colon === name.length - 1 || name.includes(":", colon + 1)) return false;
    const prefix = name.slice(0, colon);
    return prefix === "xml" || prefix === "xmlns" || Boolean(element.findNS(prefix) || this.#header?.attrs[`xmlns:${prefix}`]);
  }

  #closeTag(): void {
    if (this.#stopped) return;
    const element = this.#open.pop();
    if (!element) {
      // Only the RFC 6120 root can close with nothing open: saxes rejects any other stray end tag.
      this.#flush();
      if (!this.#stopped) this.#events.close();
      return;
    }
    if (this.#open.length > 0) return;
    this.#checkSize(this.#saxes.position);
    this.#boundary = this.#saxes.position;
    this.#completed.push(element);
    this.#justCompleted = true;
  }

  #text(text: string): void {
    if (this.#stopped) return;
    this.#justCompleted = false;
    const current = this.#open[this.#open.length - 1];
    if (current) current.t(text);
    // Between stanzas only whitespace (keepalives) may stand.
    else if (text.trim() !== "") this.#fail(new StreamError("not-well-formed", "text between stanzas"));
  }

  #declaration(declaration: XMLDecl): void {
    const encoding = declaration.encoding?.toLowerCase();
    if (encoding !== undefined && encoding !== "utf-8") this.#fail(new StreamError("unsupported-encoding", "XMPP streams are UTF-8 (RFC 6120 §11.6)"));
  }

  #checkDepth(): void {
    if (this.#open.length >= this.#limits.maxDepth) {
      this.#fail(new StreamError("policy-violation", `elements nested deeper than ${this.#limits.maxDepth} levels`));
    }
  }

  /** `position`: where the input stands now (saxes' own while it parses, our count between pieces). */
  #checkSize(position: number): void {
    if (this.#stopped || position - this.#boundary <= this.#limits.maxStanzaSize) return;
    this.#fail(
      new StreamError("policy-violation", `a stanza may take at most ${this.#limits.maxStanzaSize} characters`, xml("stanza-too-big", { xmlns: NS_XMPP_ERRORS })),
    );
  }

  #fail(error: StreamError): void {
    if (this.#stopped) return;
    this.#flush();
    if (this.#stopped) return;
    this.stop();
    this.#events.error(error);
  }
}

/**
 * An ltx element for a saxes tag. saxes gives attributes as a prototype-less object, which V8
 * keeps in dictionary mode; ltx's constructor copies it with Object.assign, which is slow from
 * such an object (about 1.9 µs per element, against 0.5 µs for this loop).
 */
function elementOf(tag: SaxesTagPlain): Element {
  const element = new Element(tag.name);
  const attrs: Record<string, string> = {};
  for (const name in tag.attributes) attrs[name] = tag.attributes[name] as string;
  element.attrs = attrs;
  return element;
}

/** The handlers a saxes parser calls, by the names of its own fields. */
interface SaxesHandlers {
  openTagStartHandler(): void;
  openTagHandler(tag: SaxesTagPlain): void;
  closeTagHandler(): void;
  textHandler(text: string): void;
  cdataHandler(text: string): void;
  xmldeclHandler(declaration: XMLDecl): void;
  doctypeHandler(): void;
  commentHandler(): void;
  piHandler(): void;
  errorHandler(error: Error): void;
}

/**
 * Sets the handlers as named fields. saxes' own `on(name, …)` stores them under computed keys,
 * and past seven such stores V8 turns the parser into a dictionary-mode object: every field
 * access in its tokenizer loop then costs a hash lookup (about 5× slower per stanza, measured).
 */
function listen(parser: Saxes, handlers: SaxesHandlers): void {
  const fields = parser as unknown as SaxesHandlers;
  fields.openTagStartHandler = handlers.openTagStartHandler;
  fields.openTagHandler = handlers.openTagHandler;
  fields.closeTagHandler = handlers.closeTagHandler;
  fields.textHandler = handlers.textHandler;
  fields.cdataHandler = handlers.cdataHandler;
  fields.xmldeclHandler = handlers.xmldeclHandler;
  fields.doctypeHandler = handlers.doctypeHandler;
  fields.commentHandler = handlers.commentHandler;
  fields.piHandler = handlers.piHandler;
  fields.errorHandler = handlers.errorHandler;
}

/** saxes reports an undeclared entity as one syntax error among others; RFC 6120 §11.1 names it restricted XML. */
function syntaxError(error: Error): StreamError {
  const reason = error.message.replace(/^\d+:\d+: /, "");
  if (reason.startsWith("undefined entity")) return new StreamError("restricted-xml", "entity references other than the five predefined ones are not allowed (RFC 6120 §11.1)");
  // Where saxes takes no DOCTYPE at all (RFC 7395 frames are fragments), it is still a DOCTYPE.
  if (reason.startsWith("inappropriately located doctype")) return new StreamError("restricted-xml", "a DOCTYPE is not allowed in XMPP (RFC 6120 §11.1)");
  return new StreamError("not-well-formed", reason);
}
