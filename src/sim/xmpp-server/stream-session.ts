import FramedParser from "@xmpp/websocket/lib/FramedParser.js";
import { type Element, randomHex, xml } from "../../protocol/index.js";
import type { ClientLink, ServerSession } from "../transport/link.js";
import { decodePlain } from "./sasl-plain.js";

const NS_FRAMING = "urn:ietf:params:xml:ns:xmpp-framing";
const NS_STREAM = "http://etherx.jabber.org/streams";
const NS_STREAM_ERRORS = "urn:ietf:params:xml:ns:xmpp-streams";
const NS_SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
const NS_BIND = "urn:ietf:params:xml:ns:xmpp-bind";
const MAX_AUTH_ATTEMPTS = 3;

/** What a stream session needs from the server it belongs to. */
export interface SessionHost {
  readonly domain: string;
  verify(username: string, password: string): boolean;
  /** Binds a resource (a fresh one when absent) and returns the full JID. */
  bind(session: StreamSession, username: string, resource: string | undefined): string;
  stanza(session: StreamSession, stanza: Element): void;
  ended(session: StreamSession): void;
}

type Phase = "pre-auth" | "authenticated" | "bound" | "closed";

/**
 * One client connection, RFC 7395 framed: stream open, SASL PLAIN, restart, resource binding,
 * then stanzas handed to the server.
 */
export class StreamSession implements ServerSession {
  readonly id = randomHex(8);
  jid: string | undefined;
  username: string | undefined;
  /** Sent initial presence and not unavailable since. */
  available = false;
  #phase: Phase = "pre-auth";
  #authFailures = 0;
  readonly #parser = new FramedParser();

  constructor(
    private readonly link: ClientLink,
    private readonly host: SessionHost,
  ) {
    this.#parser.on("start", (open: Element) => this.#onOpen(open));
    this.#parser.on("element", (element: Element) => this.#onElement(element));
    this.#parser.on("end", () => this.#onClose());
    this.#parser.on("error", () => this.streamError("not-well-formed"));
  }

  get bound(): boolean {
    return this.#phase === "bound";
  }

  receive(frame: string): void {
    if (this.#phase === "closed") return;
    this.#parser.write(frame);
  }

  disconnected(): void {
    this.#end();
  }

  /** Sends a stanza to the client. */
  send(stanza: Element): void {
    if (this.#phase === "closed") return;
    stanza.attrs.xmlns ??= "jabber:client";
    this.link.send(stanza.toString());
  }

  /** Ends the stream with an RFC 6120 §4.9 stream error. */
  streamError(condition: string, text?: string): void {
    if (this.#phase === "closed") return;
    const error = xml("stream:error", { "xmlns:stream": NS_STREAM }, xml(condition, { xmlns: NS_STREAM_ERRORS }));
    if (text) error.append(xml("text", { xmlns: NS_STREAM_ERRORS }, text));
    this.link.send(error.toString());
    this.close();
  }

  /** Closes the stream and the connection from the server side. */
  close(): void {
    if (this.#phase === "closed") return;
    this.link.send(xml("close", { xmlns: NS_FRAMING }).toString());
    this.link.close();
    this.#end();
  }

  #end(): void {
    if (this.#phase === "closed") return;
    this.#phase = "closed";
    this.host.ended(this);
  }

  #onOpen(open: Element): void {
    const to = open.attrs.to as string | undefined;
    this.link.send(
      xml("open", { xmlns: NS_FRAMING, from: this.host.domain, id: randomHex(8), version: "1.0", "xml:lang": "en" }).toString(),
    );
    if (to !== undefined && to !== this.host.domain) {
      this.streamError("host-unknown", `this server serves ${this.host.domain}`);
      return;
    }
    const features = xml("stream:features", { "xmlns:stream": NS_STREAM });
    if (this.#phase === "pre-auth") {
      // SASL PLAIN only on a confidential channel (RFC 4616 §4, RFC 6120 §6.4.4).
      const mechanisms = xml("mechanisms", { xmlns: NS_SASL });
      if (this.link.secure) mechanisms.append(xml("mechanism", {}, "PLAIN"));
      features.append(mechanisms);
    } else if (this.#phase === "authenticated") {
      features.append(xml("bind", { xmlns: NS_BIND }));
    }
    this.link.send(features.toString());
  }

  #onElement(element: Element): void {
    switch (this.#phase) {
      case "pre-auth":
        this.#authenticate(element);
        return;
      case "authenticated":
        this.#bind(element);
        return;
      case "bound":
        if (element.name === "iq" || element.name === "message" || element.name === "presence") {
          this.host.stanza(this, element);
        } else {
          this.streamError("unsupported-stanza-type");
        }
        return;
      default:
        return;
    }
  }

  #authenticate(element: Element): void {
    if (!element.is("auth", NS_SASL)) {
      this.streamError("not-authorized");
      return;
    }
    const credentials = element.attrs.mechanism === "PLAIN" && this.link.secure ? decodePlain(element.text()) : undefined;
    if (!credentials) {
      this.#saslFailure(element.attrs.mechanism === "PLAIN" ? "malformed-request" : "invalid-mechanism");
      return;
    }
    const localpart = credentials.username;
    if ((credentials.authzid && credentials.authzid !== `${localpart}@${this.host.domain}`) || !this.host.verify(localpart, credentials.password)) {
      this.#saslFailure("not-authorized");
      return;
    }
    this.username = localpart.toLowerCase();
    this.#phase = "authenticated";
    this.link.send(xml("success", { xmlns: NS_SASL }).toString());
  }

  #saslFailure(condition: string): void {
    this.link.send(xml("failure", { xmlns: NS_SASL }, xml(condition)).toString());
    if (++this.#authFailures >= MAX_AUTH_ATTEMPTS) this.close();
  }

  #bind(element: Element): void {
    const bind = element.getChild("bind", NS_BIND);
    if (element.name !== "iq" || element.attrs.type !== "set" || !bind || !this.username) {
      this.streamError("not-authorized");
      return;
    }
    const requested = bind.getChildText("resource")?.trim() || undefined;
    this.jid = this.host.bind(this, this.username, requested);
    this.#phase = "bound";
    this.link.send(
      xml("iq", { xmlns: "jabber:client", type: "result", id: element.attrs.id }, xml("bind", { xmlns: NS_BIND }, xml("jid", {}, this.jid))).toString(),
    );
  }

  #onClose(): void {
    if (this.#phase === "closed") return;
    this.close();
  }
}
