import { client as createClient } from "@xmpp/client";
import { type Element, Emitter, publishOptionValues, PushError, xml } from "../../protocol/index.js";
import type { Component } from "../component.js";
import type { ClientLink, LinkAcceptor, ServerSession } from "../transport/link.js";
import { useMemoryTransport } from "../transport/memory-connection.js";
import { registerMemoryService } from "../transport/registry.js";
import type { XmppServerEvents } from "./events.js";
import type { Push2Registration } from "./modules/push2/registry.js";
import { ServerHost } from "./host.js";
import type { SimulatedClient } from "./simulated-client.js";
import { resolveLimits, type XmppServerOptions } from "./options.js";
import { type LoadedModules, modulesFor } from "./presets.js";

export interface ServerClientOptions {
  username: string;
  password: string;
  resource?: string;
  /** @xmpp/client's own stream timeout, ms. */
  timeout?: number;
  /**
   * The XEP-0388 `<user-agent/>` @xmpp/client sends with SASL2 (it makes up a random `id`
   * otherwise): the same `id` gets the same Bind2 resource back.
   */
  userAgent?: { id: string; software?: string; device?: string };
}

/** A registration as the server reports it: publish-options read back as values. */
export interface RegistrationInfo {
  jid: string;
  node: string;
  publishOptions: Record<string, string | undefined>;
  enabledAt: number;
}

/**
 * The reference XMPP server: a core (streams, SASL, binding, routing) and the modules a preset
 * lists (offline storage, XEP-0357 push, XEP-0198, disco, …). Real @xmpp/client instances connect
 * over an in-memory transport, and any client over the TCP and WebSocket listeners.
 */
export class XmppServer extends Emitter<XmppServerEvents> implements LinkAcceptor {
  readonly domain: string;
  /** The `memory://` service URI in-memory clients connect to. */
  readonly service: string;
  /** The most characters a stanza may take; the listeners cap their frames at it too. */
  readonly maxStanzaSize: number;
  readonly #host: ServerHost;
  readonly #modules: LoadedModules;
  readonly #unregister: () => void;

  constructor(options: XmppServerOptions) {
    super();
    this.domain = options.domain.toLowerCase();
    const limits = resolveLimits(options);
    this.maxStanzaSize = limits.maxStanzaSize;
    this.#host = new ServerHost(this.domain, options.users, limits, (name, ...args) => this.emit(name, ...args));
    this.#modules = modulesFor(options);
    this.#host.load(this.#modules.all);
    ({ service: this.service, unregister: this.#unregister } = registerMemoryService(this.domain, this));
  }

  /** A real @xmpp/client for one of the server's accounts, connected over the in-memory transport once started. */
  client(options: ServerClientOptions): SimulatedClient {
    const xmpp = createClient({
      service: this.service,
      domain: this.domain,
      username: options.username,
      password: options.password,
      resource: options.resource,
      ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
      ...(options.userAgent === undefined ? {} : { userAgent: userAgentElement(options.userAgent) }),
    });
    useMemoryTransport(xmpp);
    return xmpp as unknown as SimulatedClient;
  }

  /** Routes a component's domain in-process, as a real server routes to an XEP-0114 component. */
  attach(component: Component): () => void {
    return this.#host.attach(component);
  }

  addUser(username: string, password: string): void {
    this.#host.accounts.add(username, password);
  }

  registrations(username: string): RegistrationInfo[] {
    return (this.#modules.push?.registrations(this.#host.accountOf(username)) ?? []).map((registration) => ({
      jid: registration.jid,
      node: registration.node,
      publishOptions: registration.publishOptions ? publishOptionValues(registration.publishOptions) : {},
      enabledAt: registration.enabledAt,
    }));
  }

  /** The user's Push 2.0 registrations (`push2` option): service, client and matches, by client id. */
  push2Registrations(username: string): readonly Push2Registration[] {
    return this.#modules.push2?.registrations(this.#host.accountOf(username)) ?? [];
  }

  /**
   * Pushes to all of the user's registrations, or to those on `nodes` — Prosody's
   * `cloud-notify-ping` event, which any module may fire (PT3). Returns how many publishes went out.
   */
  cloudNotifyPing(username: string, options: { nodes?: readonly string[] } = {}): number {
    if (!this.#host.accountExists(username)) throw new PushError("item-not-found", `no account '${username}'`);
    const pushes = this.#host.fire("cloud-notify-ping", { account: this.#host.accountOf(username), nodes: options.nodes });
    return typeof pushes === "number" ? pushes : 0;
  }

  offlineMessages(username: string): readonly Element[] {
    return this.#modules.offline?.peek(this.#host.accountOf(username)) ?? [];
  }

  /** Full JIDs of the account's bound sessions. */
  resources(username: string): string[] {
    return this.#host.sessionsOf(this.#host.accountOf(username)).flatMap((session) => (session.jid ? [session.jid] : []));
  }

  /** Accepts a client connection from any transport. */
  accept(link: ClientLink): ServerSession {
    return this.#host.accept(link);
  }

  /** Closes every session and stops routing. */
  async close(): Promise<void> {
    this.#unregister();
    await this.#host.close();
  }
}

function userAgentElement({ id, software, device }: { id: string; software?: string; device?: string }): Element {
  return xml("user-agent", { id }, software === undefined ? undefined : xml("software", {}, software), device === undefined ? undefined : xml("device", {}, device));
}

/**
 * Starts a reference XMPP server in this process; see {@link XmppServerOptions} for presets,
 * push options, stream management and limits.
 *
 * @example
 * ```ts
 * import { xml } from "@xmpp/client";
 * import { PushClient } from "xmpp-push";
 * import { createAppServer, createXmppServer } from "xmpp-push/sim";
 *
 * // preset: "prosody" | "ejabberd" | "mongooseim" behaves like that server where they differ.
 * const server = createXmppServer({ domain: "example.test", users: { alice: "pw", bob: "pw" } });
 * const appServer = createAppServer({ jid: "push.example.test" }); // records what its providers would send
 * server.attach(appServer);
 *
 * // bob's app turns push on, then goes offline.
 * const bob = server.client({ username: "bob", password: "pw", resource: "phone" });
 * await bob.start();
 * await new PushClient(bob).subscribe({ appServer: "push.example.test", provider: "fcm", token: "bob-fcm-token" });
 * await bob.stop();
 *
 * // alice writes to him: his server stores the message and publishes a notification.
 * const delivered = new Promise((resolve) => appServer.once("delivered", resolve));
 * const alice = server.client({ username: "alice", password: "pw", resource: "laptop" });
 * await alice.start();
 * await alice.send(xml("message", { to: "bob@example.test", type: "chat" }, xml("body", {}, "Lunch?")));
 * await delivered;
 *
 * console.log(appServer.deliveries); // [{ provider: "fcm", token: "bob-fcm-token", summary: { messageCount: 1 }, … }]
 * console.log(server.offlineMessages("bob").length); // 1
 * await alice.stop();
 * await server.close();
 * ```
 */
export function createXmppServer(options: XmppServerOptions): XmppServer {
  return new XmppServer(options);
}
