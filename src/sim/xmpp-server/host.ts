import { cloneElement, type DataForm, type Element, randomHex, toJid } from "../../protocol/index.js";
import type { Component } from "../component.js";
import { createIqRouter, type IqHandler, type IqRouter } from "../iq-router.js";
import type { ClientLink, ServerSession } from "../transport/link.js";
import { Accounts } from "./accounts.js";
import { Connection } from "./c2s/connection.js";
import type { Session } from "./c2s/session.js";
import type { XmppServerEvents } from "./events.js";
import { type HookHandler, Hooks } from "./hooks.js";
import type { ClientSession, HookEvents, HookName, IqContext, IqScope, ModuleHost, ServerModule } from "./module.js";
import type { ResolvedLimits } from "./options.js";
import { ServerRequests } from "./requests.js";
import { deliverMessage, route } from "./routing.js";
import { SessionTable } from "./sessions.js";

/** Raises the server's public events (the facade's emitter). */
export type EmitPublic = <Name extends keyof XmppServerEvents>(name: Name, ...args: XmppServerEvents[Name]) => void;

/**
 * The reference server's core: accounts, sessions, routing, the IQ routers and the hooks that
 * modules extend. It knows no XMPP feature beyond RFC 6120/6121 — offline storage, push, stream
 * management and disco are modules (./modules).
 */
export class ServerHost implements ModuleHost {
  readonly domain: string;
  readonly limits: ResolvedLimits;
  readonly accounts: Accounts;
  readonly sessions = new SessionTable();
  readonly #hooks = new Hooks<HookEvents>();
  readonly iq: Record<IqScope, IqRouter<IqContext>> = { self: createIqRouter(), host: createIqRouter() };
  readonly requests = new ServerRequests();
  readonly emit: EmitPublic;
  readonly #components = new Map<string, Component>();
  #hostComponent: Component | undefined;
  readonly #features = { account: new Set<string>(), host: new Set<string>() };
  readonly #discoForms: ((account: string) => DataForm | undefined)[] = [];
  readonly #unloads: (() => void)[] = [];
  readonly #connections = new Set<Connection>();
  #closed = false;

  constructor(domain: string, users: Record<string, string> | undefined, limits: ResolvedLimits, emit: EmitPublic) {
    this.domain = domain;
    this.limits = limits;
    this.accounts = new Accounts(users);
    this.emit = emit;
    // The core's default message delivery runs after every module's hook (Prosody's mod_message, priority -1).
    this.#hooks.hook("message/bare", ({ account, stanza }) => deliverMessage(this, account, stanza), -1);
  }

  load(modules: readonly ServerModule[]): void {
    for (const module of modules) {
      const unload = module.load(this);
      if (unload) this.#unloads.push(unload);
    }
  }

  // ModuleHost

  hook<Name extends HookName>(name: Name, handler: HookHandler<HookEvents[Name]>, priority?: number): void {
    this.#hooks.hook(name, handler, priority);
  }

  fire<Name extends HookName>(name: Name, event: HookEvents[Name]): unknown {
    return this.#hooks.fire(name, event);
  }

  handleIq(scope: IqScope, type: "get" | "set", xmlns: string, name: string, handler: IqHandler<IqContext>): void {
    this.iq[scope][type](xmlns, name, handler);
  }

  addFeature(scope: "account" | "host", feature: string): void {
    this.#features[scope].add(feature);
  }

  features(scope: "account" | "host"): readonly string[] {
    return [...this.#features[scope]];
  }

  addDiscoForm(_scope: "account", form: (account: string) => DataForm | undefined): void {
    this.#discoForms.push(form);
  }

  discoForms(_scope: "account", account: string): DataForm[] {
    return this.#discoForms.flatMap((form) => form(account) ?? []);
  }

  components(): readonly string[] {
    return [...this.#components.keys()];
  }

  route(stanza: Element): void {
    route(this, stanza);
  }

  request(iq: Element, timeout: number, answered: (reply: Element | undefined) => void): void {
    this.requests.expect(iq, timeout, answered);
    route(this, iq);
  }

  sessionsOf(account: string): readonly ClientSession[] {
    return this.sessions.of(account);
  }

  availableSessionsOf(account: string): readonly ClientSession[] {
    return this.sessions.available(account);
  }

  accountExists(username: string): boolean {
    return this.accounts.exists(username);
  }

  accountOf(username: string): string {
    return `${username.toLowerCase()}@${this.domain}`;
  }

  // Components

  component(domain: string): Component | undefined {
    return this.#components.get(domain);
  }

  attach(component: Component): () => void {
    const domain = component.jid.toLowerCase();
    const domains = [domain, ...(component.domains ?? []).map((other) => other.toLowerCase())];
    // At the server's own domain (royneary's register_host) it takes the command requests there; its other domains are its own.
    const atHost = domain === this.domain;
    const routed = atHost ? domains.slice(1) : domains;
    for (const name of routed) {
      if (name === this.domain || this.#components.has(name)) throw new Error(`${name} is already routed by this server`);
    }
    if (atHost && this.#hostComponent) throw new Error(`${domain} is already routed by this server`);
    if (atHost) this.#hostComponent = component;
    for (const name of routed) this.#components.set(name, component);
    const linked = () => (atHost ? this.#hostComponent === component : this.#components.get(routed[0]!) === component);
    const unlink = component.connect((stanza) => {
      if (this.#closed || !linked()) return;
      // As on a component connection (XEP-0114), a stanza's `from` must be at one of the component's domains.
      stanza.attrs.from ??= domain;
      if (!domains.some((name) => isAtDomain(stanza.attrs.from, name))) return;
      this.#guarded(component.sendsFreshStanzas === true ? stanza : cloneElement(stanza), (routed) => route(this, routed));
    });
    return () => {
      if (atHost && this.#hostComponent === component) this.#hostComponent = undefined;
      for (const name of routed) if (this.#components.get(name) === component) this.#components.delete(name);
      unlink();
    };
  }

  /** The component attached at the server's own domain, if any: it answers the domain's XEP-0050 commands. */
  hostComponent(): Component | undefined {
    return this.#hostComponent;
  }

  // Client sessions

  accept(link: ClientLink): ServerSession {
    const connection = new Connection(link, this);
    if (this.#closed) connection.session.streamError("system-shutdown");
    else this.#connections.add(connection);
    return connection;
  }

  /** The connection ended: it no longer needs ending at close. */
  released(connection: Connection): void {
    this.#connections.delete(connection);
  }

  /** Binds `session` to a resource (a fresh one when none is asked for) and returns its full JID. */
  bind(session: Session, account: string, resource: string | undefined): string {
    const fullJid = `${account}/${resource ?? randomHex(6)}`;
    // RFC 6120 §7.7.2.2: the newer session wins a resource conflict (Prosody's default).
    this.sessions.get(fullJid)?.streamError("conflict", "replaced by a new connection for this resource");
    this.sessions.add(session, fullJid, account);
    this.emit("online", fullJid);
    return fullJid;
  }

  unbind(session: Session): void {
    const { jid, account } = session;
    if (!jid || !account || !this.sessions.remove(session, jid, account)) return;
    this.emit("offline", jid);
    this.#hooks.fire("resource-unbind", { session });
  }

  /** Runs `work` on a stanza; a bug in a handler becomes an `internal-error` event, not a crash. */
  #guarded(stanza: Element, work: (stanza: Element) => void): void {
    try {
      work(stanza);
    } catch (error) {
      this.emit("internal-error", error, stanza);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // Bound sessions (hibernated ones too), then connections that never got that far.
    for (const session of this.sessions.all()) session.streamError("system-shutdown");
    for (const connection of [...this.#connections]) connection.session.streamError("system-shutdown");
    for (const unload of this.#unloads.splice(0)) unload();
    this.requests.cancelAll();
  }
}

function isAtDomain(from: unknown, domain: string): boolean {
  // A component mostly sends from its very domain: no parse needed then.
  if (from === domain && !domain.endsWith(".")) return true;
  try {
    return typeof from === "string" && toJid(from).domain === domain;
  } catch {
    return false;
  }
}
