import { type Element, randomHex, xml } from "../../protocol/index.js";
import type { ClientLink, ServerSession } from "../transport/link.js";
import { type Framing, rfc6120, rfc7395, type StreamParser } from "./framing.js";
import { decodePlain } from "./sasl-plain.js";
import { fromBase64, type ScramChallenge, startScram, toBase64 } from "./scram-sha1.js";

const NS_STREAM = "http://etherx.jabber.org/streams";
const NS_STREAM_ERRORS = "urn:ietf:params:xml:ns:xmpp-streams";
const NS_SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
const NS_BIND = "urn:ietf:params:xml:ns:xmpp-bind";
const MAX_AUTH_ATTEMPTS = 3;

/** What a stream session needs from the server it belongs to. */
export interface SessionHost {
  readonly domain: string;
  verify(username: string, password: string): boolean;
  /** The stored password, for SCRAM (the reference server keeps plain passwords, like Prosody's internal_plain). */
  password(username: string): string | undefined;
  /** Binds a resource (a fresh one when absent) and returns the full JID. */
  bind(session: StreamSession, username: string, resource: string | undefined): string;
  stanza(session: StreamSession, stanza: Element): void;
  ended(session: StreamSession): void;
}

type Phase = "pre-auth" | "authenticated" | "bound" | "closed";

/**
 * One client connection: stream header, SASL (PLAIN on confidential links, SCRAM-SHA-1 on others),
 * restart, resource binding, then stanzas handed to the server. Works over RFC 7395 frames and
 * over an RFC 6120 stream alike.
 */
export class StreamSession implements ServerSession {
  readonly id = randomHex(8);
  jid: string | undefined;
  username: string | undefined;
  /** Sent initial presence and not unavailable since. */
  available = false;
  #phase: Phase = "pre-auth";
  #authFailures = 0;
  readonly #framing: Framing;
  #parser: StreamParser;
  #scram: { username: string; challenge: ScramChallenge } | undefined;
  /** Elements that arrived while an asynchronous SASL step was running, handled in order after it. */
  #pending: Element[] | undefined;

  constructor(
    private readonly link: ClientLink,
    private readonly host: SessionHost,
  ) {
    this.#framing = link.framing === "rfc6120" ? rfc6120 : rfc7395;
    this.#parser = this.#createParser();
  }

  get bound(): boolean {
    return this.#phase === "bound";
  }

  receive(data: string): void {
    if (this.#phase === "closed") return;
    this.#parser.write(data);
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
    this.link.send(this.#framing.footer());
    this.link.close();
    this.#end();
  }

  #createParser(): StreamParser {
    const parser = this.#framing.createParser();
    parser.on("start", (open) => this.#onOpen(open));
    parser.on("element", (element) => this.#onElement(element));
    parser.on("end", () => this.close());
    parser.on("error", () => this.streamError("not-well-formed"));
    return parser;
  }

  #end(): void {
    if (this.#phase === "closed") return;
    this.#phase = "closed";
    this.host.ended(this);
  }

  #onOpen(open: Element): void {
    const to = open.attrs.to as string | undefined;
    this.link.send(this.#framing.header({ from: this.host.domain, id: randomHex(8), version: "1.0", "xml:lang": "en" }));
    if (to !== undefined && to !== this.host.domain) {
      this.streamError("host-unknown", `this server serves ${this.host.domain}`);
      return;
    }
    const features = xml("stream:features", { "xmlns:stream": NS_STREAM });
    if (this.#phase === "pre-auth") {
      // PLAIN only on a confidential channel (RFC 4616 §4, RFC 6120 §6.4.4); SCRAM-SHA-1 elsewhere.
      // Not both: @xmpp/client takes SCRAM whenever offered, and its PBKDF2 in plain JavaScript
      // costs about half a second per login.
      const mechanisms = xml("mechanisms", { xmlns: NS_SASL }, xml("mechanism", {}, this.link.secure ? "PLAIN" : "SCRAM-SHA-1"));
      features.append(mechanisms);
    } else if (this.#phase === "authenticated") {
      features.append(xml("bind", { xmlns: NS_BIND }));
    }
    this.link.send(features.toString());
  }

  #onElement(element: Element): void {
    if (this.#pending) {
      this.#pending.push(element);
      return;
    }
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
    if (element.is("auth", NS_SASL)) {
      const mechanism = element.attrs.mechanism;
      if (mechanism === "PLAIN" && this.link.secure) this.#plain(element.text());
      else if (mechanism === "SCRAM-SHA-1" && !this.link.secure) this.#async(() => this.#scramFirst(element.text()));
      else this.#saslFailure("invalid-mechanism");
      return;
    }
    if (element.is("response", NS_SASL) && this.#scram) {
      this.#async(() => this.#scramFinal(element.text()));
      return;
    }
    if (element.is("abort", NS_SASL)) {
      this.#scram = undefined;
      this.#saslFailure("aborted");
      return;
    }
    this.streamError("not-authorized");
  }

  #plain(message: string): void {
    const credentials = decodePlain(message);
    if (!credentials) {
      this.#saslFailure("malformed-request");
      return;
    }
    if (!this.#authorized(credentials.username, credentials.authzid) || !this.host.verify(credentials.username, credentials.password)) {
      this.#saslFailure("not-authorized");
      return;
    }
    this.#succeed(credentials.username);
  }

  async #scramFirst(message: string): Promise<void> {
    const start = startScram(decodeText(message) ?? "");
    if (!start) {
      this.#saslFailure("malformed-request");
      return;
    }
    const password = this.host.password(start.username);
    if (password === undefined || !this.#authorized(start.username, start.authzid)) {
      // Same answer for unknown users as for wrong passwords: after a challenge, with a fake salt.
      const decoy = await start.challenge(randomHex(16));
      this.#scram = { username: "", challenge: { serverFirst: decoy.serverFirst, finish: async () => undefined } };
    } else {
      this.#scram = { username: start.username, challenge: await start.challenge(password) };
    }
    this.link.send(xml("challenge", { xmlns: NS_SASL }, encodeText(this.#scram.challenge.serverFirst)).toString());
  }

  async #scramFinal(message: string): Promise<void> {
    const scram = this.#scram;
    this.#scram = undefined;
    const serverFinal = scram ? await scram.challenge.finish(decodeText(message) ?? "") : undefined;
    if (!scram || serverFinal === undefined) {
      this.#saslFailure("not-authorized");
      return;
    }
    this.#succeed(scram.username, encodeText(serverFinal));
  }

  #authorized(username: string, authzid: string): boolean {
    return !authzid || authzid === `${username}@${this.host.domain}`;
  }

  #succeed(username: string, additionalData?: string): void {
    this.username = username.toLowerCase();
    this.#phase = "authenticated";
    this.link.send(xml("success", { xmlns: NS_SASL }, additionalData).toString());
    // The client restarts the stream; over RFC 6120 that is a new XML document.
    if (this.#framing.freshParserOnRestart) this.#parser = this.#createParser();
  }

  #saslFailure(condition: string): void {
    this.link.send(xml("failure", { xmlns: NS_SASL }, xml(condition)).toString());
    if (++this.#authFailures >= MAX_AUTH_ATTEMPTS) this.close();
  }

  /** Runs an asynchronous step, holding back the elements that arrive meanwhile. */
  #async(step: () => Promise<void>): void {
    this.#pending = [];
    void step()
      .catch(() => this.#saslFailure("temporary-auth-failure"))
      .finally(() => {
        const held = this.#pending ?? [];
        this.#pending = undefined;
        for (const element of held) this.#onElement(element);
      });
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
}

function encodeText(text: string): string {
  return toBase64(new TextEncoder().encode(text));
}

function decodeText(base64: string): string | undefined {
  const bytes = fromBase64(base64.trim());
  return bytes && new TextDecoder().decode(bytes);
}
