import type { Middleware, XmppComponent } from "@xmpp/component";
import { buildStanzaError, type Element, Emitter, type Listener, nestsDeeperThan, PushError } from "../../protocol/index.js";
import type { Component } from "../../sim/component.js";
import { type Backoff, backoffDelay, type ReconnectOptions, resolveBackoff, wakeableSleep } from "./backoff.js";
import { ComponentLinkError, linkErrorOf } from "./errors.js";
import { IqBridge } from "./iq-bridge.js";
import { KeepAlive } from "./keepalive.js";
import { optionalPeer } from "../optional-peer.js";
import { LinkStreamParser } from "./stream-parser.js";

export interface ComponentLinkOptions {
  /** The server's component port, e.g. `xmpp://127.0.0.1:5347`. */
  service: string;
  /** The component's domain as configured on the server, e.g. `push.example.net`. */
  domain: string;
  /** The shared secret of the XEP-0114 handshake. */
  password: string;
  /** Bounded exponential backoff between attempts. */
  reconnect?: ReconnectOptions;
  /** How long one attempt (TCP connect, stream open, handshake) may take, ms (default 10 000). */
  connectTimeout?: number;
  /** How long an IQ request waits for the linked component's reply before an error reply goes out, ms (default 30 000). */
  replyTimeout?: number;
  /**
   * Silence from the server, ms, after which the link pings it (XEP-0199) to learn whether it is
   * still there (default 30 000); `false` or 0: never.
   */
  keepAlive?: number | false;
  /** How long that ping may stay unanswered, ms, before the link counts as lost and reconnects (default 10 000). */
  keepAliveTimeout?: number;
  /** Whom the keepalive pings: the server's domain (default: `domain` without its first label, e.g. `example.net`). */
  keepAliveTo?: string;
}

export type ComponentLinkStatus = "connecting" | "online" | "waiting" | "closed";

export type ComponentLinkEvents = {
  /** The handshake succeeded: stanzas flow (at the start and after every reconnect). */
  online: [];
  /** An established link was lost; a reconnect follows unless the link is closed. */
  offline: [reason: ComponentLinkError];
  /** Waiting `delay` ms before attempt number `attempt`. */
  reconnecting: [attempt: number, delay: number];
  /** An attempt failed, the component left an IQ unanswered, or the link gave up. */
  error: [error: ComponentLinkError];
};

/** A linked component. */
export interface ComponentLink {
  /** Resolves once the link first comes up; rejects when it never will (refused handshake, gave up, closed). */
  readonly ready: Promise<void>;
  readonly status: ComponentLinkStatus;
  /** Ends the link and stops reconnecting; resolves within a few seconds even if the server does not answer. */
  close(): Promise<void>;
  on<Name extends keyof ComponentLinkEvents>(name: Name, listener: Listener<ComponentLinkEvents[Name]>): this;
  off<Name extends keyof ComponentLinkEvents>(name: Name, listener: Listener<ComponentLinkEvents[Name]>): this;
  once<Name extends keyof ComponentLinkEvents>(name: Name, listener: Listener<ComponentLinkEvents[Name]>): this;
}

const DEFAULT_CONNECT_TIMEOUT = 10_000;
const DEFAULT_REPLY_TIMEOUT = 30_000;
const DEFAULT_KEEPALIVE = 30_000;
const DEFAULT_KEEPALIVE_TIMEOUT = 10_000;
const STOP_TIMEOUT = 3_000;
/** The reference server's default nesting limit, applied stanza by stanza to what arrives over the link. */
const MAX_STANZA_DEPTH = 64;

/**
 * Links `component` (e.g. the app server simulator) to a real XMPP server as an XEP-0114
 * component: stanzas for its domain reach `component.receive`, and what it sends goes to the
 * server. A lost link is re-established with bounded exponential backoff until `close()`.
 */
export function connectComponent(component: Component, options: ComponentLinkOptions): ComponentLink {
  optionalPeer("@xmpp/component", "connectComponent()"); // fails here, not at the first attempt, when it is missing
  return new XmppComponentLink(component, options, keepAliveTarget(options));
}

/** The server's domain, or undefined with the keepalive off. */
function keepAliveTarget(options: ComponentLinkOptions): string | undefined {
  if (!options.keepAlive && options.keepAlive !== undefined) return undefined;
  if (options.keepAliveTo) return options.keepAliveTo;
  const dot = options.domain.indexOf(".");
  if (dot < 0) throw new PushError("bad-request", `the component domain '${options.domain}' has no parent domain to ping: set keepAliveTo (or keepAlive: false)`);
  return options.domain.slice(dot + 1);
}

class XmppComponentLink extends Emitter<ComponentLinkEvents> implements ComponentLink {
  readonly ready: Promise<void>;
  readonly #component: Component;
  readonly #options: ComponentLinkOptions;
  readonly #backoff: Backoff;
  readonly #bridge = new IqBridge();
  readonly #unlink: () => void;
  readonly #keepAliveTo: string | undefined;
  #keepAlive: KeepAlive | undefined;
  #status: ComponentLinkStatus = "connecting";
  #entity: XmppComponent | undefined;
  #lastError: ComponentLinkError | undefined;
  #interrupt: (() => void) | undefined;
  #settleReady: { resolve(): void; reject(error: ComponentLinkError): void } | undefined;
  #closing: Promise<void> | undefined;

  constructor(component: Component, options: ComponentLinkOptions, keepAliveTo: string | undefined) {
    super();
    this.#component = component;
    this.#options = options;
    this.#keepAliveTo = keepAliveTo;
    this.#backoff = resolveBackoff(options.reconnect);
    this.ready = new Promise<void>((resolve, reject) => {
      this.#settleReady = { resolve, reject };
    });
    // Whoever never awaits `ready` must not get an unhandled rejection.
    this.ready.catch(() => undefined);
    this.#unlink = component.connect((stanza) => this.#send(stanza));
    void this.#run();
  }

  get status(): ComponentLinkStatus {
    return this.#status;
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#status = "closed";
    this.#interrupt?.();
    this.#bridge.cancelAll();
    this.#unlink();
    this.#finishReady(new ComponentLinkError("closed", "the component link was closed"));
    const entity = this.#entity;
    this.#entity = undefined;
    if (entity) await dispose(entity, true);
  }

  get #closed(): boolean {
    return this.#status === "closed";
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (!this.#closed) {
      this.#status = "connecting";
      let entity: XmppComponent;
      try {
        entity = await this.#open();
      } catch (error) {
        if (this.#closed) return;
        const failure = linkErrorOf(error);
        this.emit("error", failure);
        failures += 1;
        if (failure.code === "not-authorized") return this.#giveUp(failure);
        if (failures >= this.#backoff.maxAttempts) {
          return this.#giveUp(new ComponentLinkError("gave-up", `${failures} attempts failed; the last: ${failure.message}`, { cause: failure }));
        }
        await this.#pause(backoffDelay(this.#backoff, failures), failures + 1);
        continue;
      }
      // close() came while the handshake finished: it has ended this entity already.
      if (this.#closed) return;
      failures = 0;
      this.#status = "online";
      this.#finishReady();
      this.emit("online");
      const reason = await this.#lost(entity);
      // close() ends the entity itself, gracefully.
      if (this.#closed) return;
      this.#status = "connecting";
      // Replies can no longer go out on this connection; the requesters' own timeouts take over.
      this.#bridge.cancelAll();
      this.#entity = undefined;
      await dispose(entity, false);
      this.emit("offline", reason);
      // Even a link that drops right after the handshake is retried no faster than this.
      await this.#pause(this.#backoff.minDelay, 1);
    }
  }

  /** One attempt: a fresh @xmpp/component (its own fixed-delay reconnect switched off) up to `online`. */
  async #open(): Promise<XmppComponent> {
    const { service, domain, password } = this.#options;
    const entity = optionalPeer("@xmpp/component", "connectComponent()").component({ service, domain, password });
    hardenParsing(entity, () => this.#keepAlive?.heard());
    entity.reconnect.stop();
    entity.middleware.use(this.#middleware);
    this.#entity = entity;
    this.#lastError = undefined;

    let fail: (error: unknown) => void = () => {};
    const failed = new Promise<never>((_, reject) => {
      fail = reject;
    });
    entity.on("error", (error: unknown) => {
      const linkError = linkErrorOf(error);
      this.#lastError = linkError;
      if (entity.status === "online") this.emit("error", linkError);
      else fail(linkError);
    });
    // A socket closed before the handshake ends the attempt at once rather than at the timeout.
    entity.on("disconnect", () => fail(this.#lastError ?? new ComponentLinkError("connection", "the server closed the connection")));

    const started = entity.start();
    started.catch(() => undefined);
    const timeout = this.#options.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT;
    try {
      await withTimeout(Promise.race([started, failed]), timeout, () => new ComponentLinkError("timeout", `no handshake with ${service} within ${timeout} ms`));
      return entity;
    } catch (error) {
      if (this.#entity === entity) this.#entity = undefined;
      await dispose(entity, false);
      throw error;
    }
  }

  /** Resolves when the established link ends (also when a keepalive ping goes unanswered), or at once on `close()`. */
  #lost(entity: XmppComponent): Promise<ComponentLinkError> {
    return new Promise((resolve) => {
      const done = (): void => {
        entity.off("disconnect", done);
        this.#interrupt = undefined;
        this.#keepAlive?.stop();
        this.#keepAlive = undefined;
        resolve(this.#lastError ?? new ComponentLinkError("connection", "the server closed the link"));
      };
      entity.on("disconnect", done);
      this.#interrupt = done;
      if (entity.status !== "online") return done();
      this.#keepAlive = this.#watch(entity, (reason) => {
        this.#lastError = reason;
        done();
      });
    });
  }

  #watch(entity: XmppComponent, lost: (reason: ComponentLinkError) => void): KeepAlive | undefined {
    const to = this.#keepAliveTo;
    if (to === undefined) return undefined;
    return new KeepAlive({
      from: this.#options.domain,
      to,
      idle: this.#options.keepAlive || DEFAULT_KEEPALIVE,
      timeout: this.#options.keepAliveTimeout ?? DEFAULT_KEEPALIVE_TIMEOUT,
      // A failed write ends the socket, which the link notices by itself.
      send: (ping) => void entity.send(ping).catch(() => undefined),
      lost,
    });
  }

  async #pause(delay: number, attempt: number): Promise<void> {
    if (this.#closed) return;
    this.#status = "waiting";
    this.emit("reconnecting", attempt, delay);
    const sleep = wakeableSleep(delay);
    this.#interrupt = sleep.wake;
    await sleep.done;
    this.#interrupt = undefined;
  }

  #giveUp(error: ComponentLinkError): void {
    if (error.code === "gave-up") this.emit("error", error);
    this.#finishReady(error);
    void this.close();
  }

  #finishReady(error?: ComponentLinkError): void {
    const settle = this.#settleReady;
    this.#settleReady = undefined;
    if (error) settle?.reject(error);
    else settle?.resolve();
  }

  /** Hands a stanza to the component; a component that throws loses that stanza, not the link. */
  #deliver(stanza: Element): void {
    try {
      this.#component.receive(stanza);
    } catch (error) {
      this.emit("error", new ComponentLinkError("component", `${this.#component.jid} failed on a stanza: ${error instanceof Error ? error.message : String(error)}`, { cause: error }));
    }
  }

  /** What the component sends: a reply to a pending IQ goes back through the IQ callee; the rest straight out. */
  #send(stanza: Element): void {
    if (this.#bridge.claim(stanza)) return;
    const entity = this.#status === "online" ? this.#entity : undefined;
    // Without a link the stanza is lost, as on a dead socket; the peer's own timeout covers it.
    if (!entity) return;
    entity.send(stanza).catch((error: unknown) => this.emit("error", linkErrorOf(error)));
  }

  /**
   * Hands every incoming stanza to the component. An IQ request is answered through the value
   * returned here, because @xmpp/iq's callee sends one reply to every get/set — its own
   * `service-unavailable` when a handler returns nothing — so a reply sent beside it would be a second one.
   */
  readonly #middleware: Middleware = async ({ stanza }) => {
    if (stanza.name !== "iq" && stanza.name !== "message" && stanza.name !== "presence") return undefined;
    if (this.#keepAlive?.claims(stanza)) return undefined;
    const type = stanza.attrs.type;
    const request = stanza.name === "iq" && (type === "get" || type === "set");
    if (nestsDeeperThan(stanza, MAX_STANZA_DEPTH)) {
      // @xmpp/iq's callee echoes the request's payload in an error reply: only its outer element, then.
      for (const payload of stanza.getChildElements()) payload.children = [];
      return request ? buildStanzaError("modify", "policy-violation", { text: `elements nested deeper than ${MAX_STANZA_DEPTH} levels` }) : undefined;
    }
    if (!request) {
      this.#deliver(stanza);
      return undefined;
    }
    const timeout = this.#options.replyTimeout ?? DEFAULT_REPLY_TIMEOUT;
    const pending = this.#bridge.expect(stanza, timeout);
    this.#deliver(stanza);
    const reply = await pending;
    if (!reply) {
      if (this.#status === "online") this.emit("error", new ComponentLinkError("no-reply", `${this.#component.jid} did not answer IQ '${String(stanza.attrs.id)}' within ${timeout} ms`));
      return buildStanzaError("wait", "internal-server-error", { text: "the push service did not answer in time" });
    }
    if (reply.attrs.type === "error") return reply.getChild("error") ?? buildStanzaError("cancel", "undefined-condition");
    // `true` makes the callee send an empty result; undefined would make it send service-unavailable.
    return reply.getChildElements()[0] ?? true;
  };
}

/**
 * The reference server's parser instead of ltx's, and no data handed to a parser that a parse
 * error has already detached (@xmpp/connection would throw on it, out of the socket's handler).
 * `heard` learns of every chunk that arrives, for the keepalive.
 */
function hardenParsing(entity: XmppComponent, heard: () => void): void {
  entity.Parser = LinkStreamParser;
  const feed = entity._onData;
  entity._onData = function (this: XmppComponent, data: Buffer) {
    // Every chunk proves the server alive, also the first of a large stanza that takes long to arrive.
    heard();
    if (this.parser) feed.call(this, data);
  };
}

/** Ends an entity's connection for good; a graceful stop waits at most STOP_TIMEOUT. */
async function dispose(entity: XmppComponent, graceful: boolean): Promise<void> {
  entity.removeAllListeners("disconnect");
  entity.removeAllListeners("error");
  // A late socket or stream error must not become an uncaught 'error' event.
  entity.on("error", () => undefined);
  if (graceful && entity.status === "online") {
    await withTimeout(entity.stop(), STOP_TIMEOUT, () => new ComponentLinkError("timeout", "stop timed out")).catch(() => undefined);
  }
  entity.socket?.destroy();
}

function withTimeout<T>(promise: Promise<T>, ms: number, error: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(error()), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
