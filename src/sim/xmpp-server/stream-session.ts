import { base64ToBytes, bytesToBase64, type Element, randomHex, xml } from "../../protocol/index.js";
import type { ClientLink, ServerSession } from "../transport/link.js";
import { type Framing, rfc6120, rfc7395, type StreamParser } from "./framing.js";
import { decodePlain } from "./sasl-plain.js";
import { type ScramChallenge, startScram } from "./scram-sha1.js";
import { NS_SM, StreamManagementState } from "./stream-management.js";

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
  /** XEP-0198 settings; `enabled: false` offers no stream management. */
  readonly streamManagement: { enabled: boolean; resumeTimeout: number; ackDelay: number };
  /** The connection of a stream-managed session dropped: it stays bound, stanzas queue up. */
  hibernated(session: StreamSession): void;
  /** A stanza was queued for a hibernated session, or stayed unacknowledged past the ack delay. */
  undelivered(session: StreamSession, stanza: Element): void;
  /** Finds the session a `<resume/>` names; the caller adopts it. */
  resumable(username: string, previd: string): StreamSession | undefined;
  resumed(session: StreamSession, previous: StreamSession): void;
}

type Phase = "pre-auth" | "authenticated" | "bound" | "hibernated" | "closed";

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
  #sm: StreamManagementState | undefined;
  #resumeTimer: ReturnType<typeof setTimeout> | undefined;
  #ackTimer: ReturnType<typeof setTimeout> | undefined;
  #ackRequested = false;

  constructor(
    private readonly link: ClientLink,
    private readonly host: SessionHost,
  ) {
    this.#framing = link.framing === "rfc6120" ? rfc6120 : rfc7395;
    this.#parser = this.#createParser();
  }

  /** Bound, on a live connection or hibernated. */
  get bound(): boolean {
    return this.#phase === "bound" || this.#phase === "hibernated";
  }

  /** The XEP-0198 stream id a client resumes with, once stream management is on. */
  get streamId(): string | undefined {
    return this.#sm?.id;
  }

  get hibernating(): boolean {
    return this.#phase === "hibernated";
  }

  /** Stanzas sent but not acknowledged by the client (stream management only). */
  get unacknowledged(): readonly Element[] {
    return this.#sm?.unacked.map((entry) => entry.stanza) ?? [];
  }

  receive(data: string): void {
    if (this.#phase === "closed") return;
    this.#parser.write(data);
  }

  disconnected(): void {
    if (this.#phase === "bound" && this.#sm) this.#hibernate();
    else this.#end();
  }

  /** Sends a stanza to the client; with stream management it stays queued until acknowledged. */
  send(stanza: Element): void {
    if (this.#phase === "closed") return;
    stanza.attrs.xmlns ??= "jabber:client";
    const sm = this.#sm;
    if (sm) sm.sent(stanza, Date.now());
    if (this.#phase === "hibernated") {
      this.host.undelivered(this, stanza);
      return;
    }
    this.link.send(stanza.toString());
    if (sm) this.#afterSend();
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
    clearTimeout(this.#resumeTimer);
    clearTimeout(this.#ackTimer);
    this.host.ended(this);
  }

  #hibernate(): void {
    this.#phase = "hibernated";
    clearTimeout(this.#ackTimer);
    this.#resumeTimer = setTimeout(() => this.#end(), this.host.streamManagement.resumeTimeout);
    this.host.hibernated(this);
    // What the client never acknowledged is undelivered now.
    for (const { stanza } of this.#sm?.unacked ?? []) this.host.undelivered(this, stanza);
  }

  /** Asks for an ack once per burst, and watches for messages that stay unacknowledged. */
  #afterSend(): void {
    if (!this.#ackRequested) {
      this.#ackRequested = true;
      queueMicrotask(() => {
        this.#ackRequested = false;
        if (this.#phase === "bound") this.link.send(xml("r", { xmlns: NS_SM }).toString());
      });
    }
    this.#ackTimer ??= setTimeout(() => this.#ackOverdue(), this.host.streamManagement.ackDelay);
  }

  #ackOverdue(): void {
    this.#ackTimer = undefined;
    if (this.#phase !== "bound" || !this.#sm) return;
    const overdue = Date.now() - this.host.streamManagement.ackDelay;
    for (const entry of this.#sm.unacked) if (entry.sentAt <= overdue) this.host.undelivered(this, entry.stanza);
    if (this.#sm.unacked.length > 0) this.#ackTimer = setTimeout(() => this.#ackOverdue(), this.host.streamManagement.ackDelay);
  }

  /** Takes over a hibernated (or still connected) session named by `<resume/>`: its JID, state and queue. */
  adopt(previous: StreamSession, h: number): void {
    const sm = previous.#sm;
    if (!sm) return;
    previous.#detach();
    this.jid = previous.jid;
    this.username = previous.username;
    this.available = previous.available;
    this.#sm = sm;
    this.#phase = "bound";
    sm.acknowledge(h);
    this.link.send(xml("resumed", { xmlns: NS_SM, previd: sm.id, h: sm.inbound }).toString());
    for (const { stanza } of sm.unacked) this.link.send(stanza.toString());
    if (sm.unacked.length > 0) this.#afterSend();
  }

  /** Leaves without ending the logical session, which a resumption carries on. */
  #detach(): void {
    clearTimeout(this.#resumeTimer);
    clearTimeout(this.#ackTimer);
    if (this.#phase === "bound") {
      this.link.send(this.#framing.footer());
      this.link.close();
    }
    this.#phase = "closed";
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
      if (this.host.streamManagement.enabled) features.append(xml("sm", { xmlns: NS_SM }));
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
          if (this.#sm) this.#sm.inbound = (this.#sm.inbound + 1) % 2 ** 32;
          this.host.stanza(this, element);
        } else if (element.attrs.xmlns === NS_SM && this.host.streamManagement.enabled) {
          this.#streamManagement(element);
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

  #streamManagement(element: Element): void {
    switch (element.name) {
      case "enable": {
        if (this.#sm) {
          this.link.send(xml("failed", { xmlns: NS_SM }, xml("unexpected-request", { xmlns: "urn:ietf:params:xml:ns:xmpp-stanzas" })).toString());
          return;
        }
        this.#sm = new StreamManagementState();
        const resume = element.attrs.resume === "true" || element.attrs.resume === "1";
        this.link.send(
          xml("enabled", { xmlns: NS_SM, id: resume ? this.#sm.id : undefined, resume: resume ? "true" : undefined, max: Math.round(this.host.streamManagement.resumeTimeout / 1000) }).toString(),
        );
        return;
      }
      case "r":
        if (this.#sm) this.link.send(xml("a", { xmlns: NS_SM, h: this.#sm.inbound }).toString());
        return;
      case "a": {
        const h = Number(element.attrs.h);
        if (!this.#sm || !Number.isInteger(h)) return;
        this.#sm.acknowledge(h);
        if (this.#sm.unacked.length === 0) {
          clearTimeout(this.#ackTimer);
          this.#ackTimer = undefined;
        }
        return;
      }
      default:
        this.streamError("unsupported-stanza-type");
    }
  }

  #resume(element: Element): void {
    const previd = element.attrs.previd as string | undefined;
    const h = Number(element.attrs.h);
    const previous = previd && this.username && Number.isInteger(h) ? this.host.resumable(this.username, previd) : undefined;
    if (!previous) {
      this.link.send(xml("failed", { xmlns: NS_SM }, xml("item-not-found", { xmlns: "urn:ietf:params:xml:ns:xmpp-stanzas" })).toString());
      return;
    }
    this.adopt(previous, h);
    this.host.resumed(this, previous);
  }

  #bind(element: Element): void {
    if (element.is("resume", NS_SM) && this.host.streamManagement.enabled) {
      this.#resume(element);
      return;
    }
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
  return bytesToBase64(new TextEncoder().encode(text));
}

function decodeText(base64: string): string | undefined {
  const bytes = base64ToBytes(base64.trim());
  return bytes && new TextDecoder().decode(bytes);
}
