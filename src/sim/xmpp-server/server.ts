import { type Client, client as createClient } from "@xmpp/client";
import { cloneElement, type Element, Emitter, type PushError, publishOptionValues, randomHex, toJid } from "../../protocol/index.js";
import type { Component } from "../component.js";
import type { ClientLink, ServerSession } from "../transport/link.js";
import { useMemoryTransport } from "../transport/memory-connection.js";
import { registerMemoryService } from "../transport/registry.js";
import { type AccountIqContext, handleAccountIq } from "./account-iq.js";
import { Accounts } from "./accounts.js";
import { isChatOrNormal, isStorable } from "./business-rules.js";
import { handleDomainIq } from "./domain-iq.js";
import { OfflineStore } from "./offline-store.js";
import {
  type ResolvedPushOptions,
  resolvePushOptions,
  resolveStreamManagement,
  type StreamManagementOptions,
  type XmppServerOptions,
} from "./options.js";
import { PushPublisher } from "./push-publisher.js";
import { type PushRegistration, PushRegistry } from "./push-registry.js";
import { type RouterContext, route } from "./router.js";
import { SessionTable } from "./sessions.js";
import { type SessionHost, StreamSession } from "./stream-session.js";

export interface ServerClientOptions {
  username: string;
  password: string;
  resource?: string;
  /** @xmpp/client's own stream timeout, ms. */
  timeout?: number;
}

/** A registration as the server reports it: publish-options read back as values. */
export interface RegistrationInfo {
  jid: string;
  node: string;
  publishOptions: Record<string, string | undefined>;
  enabledAt: number;
}

export type XmppServerEvents = {
  online: [jid: string];
  offline: [jid: string];
  /** A stream-managed session lost its connection and waits to be resumed. */
  hibernated: [jid: string];
  resumed: [jid: string];
  stored: [account: string, message: Element];
  enabled: [registration: PushRegistration];
  disabled: [registration: PushRegistration];
  published: [registration: PushRegistration, publish: Element];
  "publish-result": [registration: PushRegistration];
  "publish-error": [registration: PushRegistration, error: PushError, removed: boolean];
};

/**
 * The reference XMPP server: real @xmpp/client instances connect to it over an in-memory
 * transport; it routes, stores offline, and publishes XEP-0357 notifications to attached
 * push services.
 */
export class XmppServer extends Emitter<XmppServerEvents> implements SessionHost {
  readonly domain: string;
  /** The `memory://` service URI in-memory clients connect to. */
  readonly service: string;
  readonly #accounts: Accounts;
  readonly #sessions = new SessionTable();
  readonly #offline = new OfflineStore();
  readonly #registry = new PushRegistry();
  readonly #publisher: PushPublisher;
  readonly #push: ResolvedPushOptions;
  readonly #components = new Map<string, Component>();
  readonly #messageCounts = new Map<string, number>();
  readonly #router: RouterContext;
  readonly #unregister: () => void;
  /** Messages already pushed for, so that hibernation, ack timeouts and offline storage push once. */
  readonly #pushed = new WeakSet<Element>();
  readonly streamManagement: Required<StreamManagementOptions>;
  #closed = false;

  constructor(options: XmppServerOptions) {
    super();
    this.domain = options.domain.toLowerCase();
    this.#accounts = new Accounts(options.users);
    this.streamManagement = resolveStreamManagement(options.streamManagement);
    this.#push = resolvePushOptions(options.preset, options.push);
    this.#publisher = new PushPublisher(this.domain, this.#registry, this.#push, {
      route: (stanza) => route(this.#router, stanza),
      published: (registration, publish) => this.emit("published", registration, publish),
      succeeded: (registration) => this.emit("publish-result", registration),
      failed: (registration, error, removed) => this.emit("publish-error", registration, error, removed),
    });
    const accountIqContext: AccountIqContext = {
      registry: this.#registry,
      now: Date.now,
      disableUnknown: this.#push.disableUnknown,
      enabled: (registration) => this.emit("enabled", registration),
      disabled: (registration) => this.emit("disabled", registration),
    };
    this.#router = {
      domain: this.domain,
      sessions: this.#sessions,
      accountExists: (username) => this.#accounts.exists(username),
      component: (domain) => this.#components.get(domain),
      // In-process, like routing inside one server: a deep copy isolates the component as well as a
      // socket would, without serializing twice per hop (client connections do go through bytes).
      toComponent: (component, stanza) => component.receive(cloneElement(stanza)),
      claimReply: (iq) => this.#publisher.handleReply(iq),
      accountIq: (iq, account) => handleAccountIq(accountIqContext, iq, account),
      domainIq: (iq) => handleDomainIq(iq, [...this.#components.keys()]),
      offline: (account, message) => this.#storeOffline(account, message),
    };
    ({ service: this.service, unregister: this.#unregister } = registerMemoryService(this.domain, this));
  }

  /** A real @xmpp/client for one of the server's accounts, connected over the in-memory transport once started. */
  client(options: ServerClientOptions): Client {
    const xmpp = createClient({
      service: this.service,
      domain: this.domain,
      username: options.username,
      password: options.password,
      resource: options.resource,
      ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
    });
    useMemoryTransport(xmpp);
    return xmpp;
  }

  /** Routes a component's domain in-process, as a real server routes to an XEP-0114 component. */
  attach(component: Component): () => void {
    const domain = component.jid.toLowerCase();
    if (domain === this.domain || this.#components.has(domain)) throw new Error(`${domain} is already routed by this server`);
    this.#components.set(domain, component);
    const unlink = component.connect((stanza) => {
      if (this.#closed || this.#components.get(domain) !== component) return;
      // As on a component connection (XEP-0114), a stanza's `from` must be at the component's domain.
      stanza.attrs.from ??= domain;
      if (!isAtDomain(stanza.attrs.from, domain)) return;
      route(this.#router, cloneElement(stanza));
    });
    return () => {
      if (this.#components.get(domain) === component) this.#components.delete(domain);
      unlink();
    };
  }

  addUser(username: string, password: string): void {
    this.#accounts.add(username, password);
  }

  registrations(username: string): RegistrationInfo[] {
    return this.#registry.list(this.#account(username)).map((registration) => ({
      jid: registration.jid,
      node: registration.node,
      publishOptions: registration.publishOptions ? publishOptionValues(registration.publishOptions) : {},
      enabledAt: registration.enabledAt,
    }));
  }

  offlineMessages(username: string): readonly Element[] {
    return this.#offline.peek(this.#account(username));
  }

  /** Full JIDs of the account's bound sessions. */
  resources(username: string): string[] {
    return this.#sessions.of(this.#account(username)).flatMap((session) => (session.jid ? [session.jid] : []));
  }

  /** Accepts a client connection from any transport. */
  accept(link: ClientLink): ServerSession {
    const session = new StreamSession(link, this);
    if (this.#closed) session.streamError("system-shutdown");
    return session;
  }

  /** Closes every session and stops routing. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#unregister();
    for (const session of this.#sessions.all()) session.streamError("system-shutdown");
    this.#publisher.close();
  }

  // SessionHost

  verify(username: string, password: string): boolean {
    return this.#accounts.verify(username, password);
  }

  password(username: string): string | undefined {
    return this.#accounts.password(username);
  }

  bind(session: StreamSession, username: string, resource: string | undefined): string {
    const account = this.#account(username);
    const fullJid = `${account}/${resource ?? randomHex(6)}`;
    // RFC 6120 §7.7.2.2: the newer session wins a resource conflict (Prosody's default).
    this.#sessions.get(fullJid)?.streamError("conflict", "replaced by a new connection for this resource");
    this.#sessions.add(session, fullJid, account);
    this.#messageCounts.delete(account);
    this.emit("online", fullJid);
    return fullJid;
  }

  stanza(session: StreamSession, stanza: Element): void {
    if (!session.jid || !session.username) return;
    const account = this.#account(session.username);
    stanza.attrs.from = session.jid;
    if (stanza.name === "presence" && !stanza.attrs.to) {
      this.#presence(session, account, stanza);
      return;
    }
    route(this.#router, stanza, account);
  }

  ended(session: StreamSession): void {
    if (!session.jid || !session.username) return;
    const account = this.#account(session.username);
    if (!this.#sessions.remove(session, session.jid, account)) return;
    this.emit("offline", session.jid);
    // Messages the client never acknowledged are not lost: they go to offline storage.
    for (const stanza of session.unacknowledged) if (stanza.name === "message") this.#storeOffline(account, stanza);
  }

  hibernated(session: StreamSession): void {
    if (session.jid) this.emit("hibernated", session.jid);
  }

  /** Like mod_cloud_notify: a message queued for a hibernated session, or left unacknowledged, pushes. */
  undelivered(session: StreamSession, stanza: Element): void {
    if (!session.username || stanza.name !== "message" || !isStorable(stanza)) return;
    this.#pushFor(this.#account(session.username), stanza);
  }

  resumable(username: string, previd: string): StreamSession | undefined {
    return this.#sessions.of(this.#account(username)).find((session) => session.streamId === previd && session.bound);
  }

  resumed(session: StreamSession, previous: StreamSession): void {
    if (!session.jid || !session.username) return;
    const account = this.#account(session.username);
    this.#sessions.remove(previous, session.jid, account);
    this.#sessions.add(session, session.jid, account);
    this.emit("resumed", session.jid);
  }

  #presence(session: StreamSession, account: string, presence: Element): void {
    const type = presence.attrs.type as string | undefined;
    if (type === "unavailable") {
      session.available = false;
      return;
    }
    if (type !== undefined) return;
    const initial = !session.available;
    session.available = true;
    // Offline messages go out on initial presence, in the order they arrived (S14).
    if (initial) for (const message of this.#offline.take(account)) session.send(message);
  }

  #storeOffline(account: string, message: Element): void {
    if (isStorable(message)) {
      this.#offline.store(account, message, this.domain, Date.now());
      this.emit("stored", account, message);
      this.#pushFor(account, message);
    } else if (this.#push.pushBodyless && isChatOrNormal(message)) {
      // Prosody pushes every chat/normal message reaching offline handling, marking body-less ones unimportant.
      this.#pushFor(account, message);
    }
  }

  #pushFor(account: string, message: Element): void {
    if (this.#pushed.has(message)) return;
    this.#pushed.add(message);
    const count = (this.#messageCounts.get(account) ?? 0) + 1;
    this.#messageCounts.set(account, count);
    this.#publisher.notify(account, message, count);
  }

  #account(username: string): string {
    return `${username.toLowerCase()}@${this.domain}`;
  }
}

export function createXmppServer(options: XmppServerOptions): XmppServer {
  return new XmppServer(options);
}

function isAtDomain(from: unknown, domain: string): boolean {
  try {
    return typeof from === "string" && toJid(from).domain === domain;
  } catch {
    return false;
  }
}
