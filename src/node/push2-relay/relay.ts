import { buildStanzaError, domainOf, type Element, Emitter, parsePush2Notification, xml } from "../../protocol/index.js";
import { type SendStanza, sendThrough } from "../../sim/component.js";
import { fetchSender } from "../web-push/fetch-sender.js";
import { type ClosablePushSender, http1Sender } from "../web-push/http1-sender.js";
import type { PushSender } from "../web-push/push-answer.js";
import { httpsOnly, type RelayRequest, relayRequest } from "./request.js";
import { Slots } from "./slots.js";
import type { Push2Relay, Push2RelayEvents, Push2RelayLogEntry, Push2RelayOptions, Push2RelayState } from "./types.js";
import { CLOSING, NO_ANSWER, NOT_SERVED, QUEUE_FULL, UNUSABLE, type Verdict, verdictForStatus } from "./verdict.js";

const DEFAULT_TTL = 86_400;
const DEFAULT_MAX_CONCURRENT = 16;
const DEFAULT_MAX_QUEUE = 1000;
const DEFAULT_TIMEOUT = 10_000;

/**
 * A Push 2.0 relay (P2S13–P2S16): each `<message/>` carrying `<notification xmlns='urn:xmpp:push2:0'>`
 * becomes an RFC 8030 POST of its already-encrypted payload to the `<client/>` endpoint, signed
 * with the notification's own VAPID JWT. Delivered: no reply. Otherwise a message error reply
 * the server acts on — `cancel` disables the registration, `wait` is retried. The relay cannot
 * read the payload, keeps no notification once answered, and logs no payload.
 */
export function createPush2Relay(options: Push2RelayOptions): Push2Relay {
  return new HttpPush2Relay(options);
}

class HttpPush2Relay extends Emitter<Push2RelayEvents> implements Push2Relay {
  readonly jid: string;
  readonly #servers: readonly string[] | undefined;
  readonly #allowEndpoint: (url: URL) => boolean;
  readonly #ttl: number;
  readonly #timeout: number;
  /** Our HTTP/1.1 client, or the `fetch` passed. */
  readonly #post: PushSender;
  readonly #http1: ClosablePushSender | undefined;
  readonly #closing = new AbortController();
  readonly #log: ((entry: Push2RelayLogEntry) => void) | undefined;
  readonly #slots: Slots;
  readonly #counts = { delivered: 0, gone: 0, retry: 0, refused: 0 };
  #reply: SendStanza | undefined;
  #closed = false;

  constructor(options: Push2RelayOptions) {
    super();
    this.jid = options.jid;
    this.#servers = options.servers?.map((server) => server.toLowerCase());
    this.#allowEndpoint = options.allowEndpoint ?? httpsOnly;
    this.#ttl = whole(options.ttl, DEFAULT_TTL, "ttl", 0);
    this.#timeout = whole(options.timeout, DEFAULT_TIMEOUT, "timeout", 1);
    this.#log = options.log;
    const maxConcurrent = whole(options.maxConcurrent, DEFAULT_MAX_CONCURRENT, "maxConcurrent", 1);
    this.#slots = new Slots(maxConcurrent, whole(options.maxQueue, DEFAULT_MAX_QUEUE, "maxQueue", 0));
    this.#http1 = options.fetch ? undefined : http1Sender({ timeout: this.#timeout, maxSockets: maxConcurrent });
    this.#post = options.fetch ? fetchSender(options.fetch, this.#timeout, this.#closing.signal) : this.#http1!;
  }

  connect(send: SendStanza): () => void {
    this.#reply = send;
    return () => {
      if (this.#reply === send) this.#reply = undefined;
    };
  }

  receive(stanza: Element): void {
    // Error replies are never answered (RFC 6120 §8.3.1); anything but a notification is not ours.
    if (stanza.name !== "message" || stanza.attrs.type === "error") return;
    const notification = parsePush2Notification(stanza);
    if (!notification) return;
    const arrived = Date.now();
    const from = String(stanza.attrs.from ?? "");
    const done = (verdict: Verdict, origin: string | undefined, status?: number, reason?: string) => this.#finish(stanza, verdict, { from, origin, status, reason, arrived });
    if (this.#closed) return done(CLOSING, undefined, undefined, "the relay is closing");
    if (this.#servers && !this.#servers.includes(domainOf(from).toLowerCase())) return done(NOT_SERVED, undefined, undefined, "not a server this relay serves");
    const request = relayRequest(notification, this.#ttl, this.#allowEndpoint);
    if (typeof request === "string") return done(UNUSABLE, originOf(notification.client), undefined, request);
    const origin = request.url.origin;
    const started = this.#slots.tryRun(async () => {
      if (this.#closed) return done(CLOSING, origin, undefined, "the relay is closing");
      const answer = await this.#send(request);
      if (typeof answer === "string") return done(NO_ANSWER, origin, undefined, answer);
      done(verdictForStatus(answer.status), origin, answer.status, answer.reason);
    });
    if (!started) done(QUEUE_FULL, origin, undefined, "the relay's queue is full");
  }

  state(): Push2RelayState {
    return { inFlight: this.#slots.running, queued: this.#slots.queued, ...this.#counts };
  }

  idle(): Promise<void> {
    return this.#slots.idle();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#closing.abort();
    this.#http1?.close();
    await this.#slots.idle();
  }

  /** The status and, for a failure, the start of the body; or why no answer came. */
  async #send(request: RelayRequest): Promise<{ status: number; reason: string | undefined } | string> {
    const body = request.body ? Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength) : Buffer.alloc(0);
    try {
      const answer = await this.#post({ url: request.url.href, headers: request.headers, body });
      const ok = answer.status >= 200 && answer.status < 300;
      return { status: answer.status, reason: ok ? undefined : `the push service answered ${answer.status}${answer.reason ? `: ${answer.reason}` : ""}` };
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }

  #finish(message: Element, verdict: Verdict, facts: { from: string; origin: string | undefined; status: number | undefined; reason: string | undefined; arrived: number }): void {
    this.#counts[verdict.outcome] += 1;
    if (verdict.error) {
      const { type, condition } = verdict.error;
      const text = facts.reason ?? condition;
      sendThrough(this.#reply, xml("message", { type: "error", from: this.jid, to: facts.from, id: message.attrs.id }, buildStanzaError(type, condition, { text })));
    }
    const entry: Push2RelayLogEntry = { outcome: verdict.outcome, from: facts.from, origin: facts.origin, status: facts.status, ms: Date.now() - facts.arrived };
    if (verdict.error) entry.error = verdict.error;
    if (facts.reason !== undefined) entry.reason = facts.reason;
    this.#log?.(entry);
    this.emit("outcome", entry);
  }
}

function originOf(client: string): string | undefined {
  return URL.canParse(client) ? new URL(client).origin : undefined;
}

function whole(value: number | undefined, fallback: number, name: string, minimum: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < minimum) throw new RangeError(`push2 relay: ${name} must be a whole number of at least ${minimum}, got ${value}`);
  return value;
}
