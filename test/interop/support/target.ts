import { readFileSync } from "node:fs";
import { type Client, client as createClient } from "@xmpp/client";
import { type ComponentLink, connectComponent, listenTcp, type XmppListener } from "../../../src/node/index.js";
import { type AppServer, createAppServer, createMucService, createXmppServer, type XmppServer, type XmppServerOptions } from "../../../src/sim/index.js";
import { DOMAIN, ENV, MUC_JID, PASSWORD, PUSH_JID, type RealServerName, type TargetName, USERS } from "../shared.js";
import { control } from "./control.js";
import { realServer } from "./env.js";
import { plainLogin } from "./login.js";
import { Tap } from "./tap.js";
import { waitFor, withTimeout } from "./wait.js";
import { asClient } from "../../helpers/real-client.js";

/** One server under test with the app server simulator as its push component. */
export interface Target {
  readonly name: TargetName;
  readonly appServer: AppServer;
  readonly tap: Tap;
  /** Publish errors in a row after which the server drops a registration. */
  readonly maxPublishErrors: number;
  /** The XEP-0114 link, for real servers. */
  readonly link: ComponentLink | undefined;
  /**
   * A started client, over WebSocket (a real server; the reference server's in-memory transport),
   * or with `transport: "tcp"` over TCP, where several elements come in one read; `online` runs
   * as the client comes online, before `start()` resolves. `disconnectAll()` stops it.
   */
  connect(username: string, resource: string, options?: ConnectOptions): Promise<Client>;
  /** Stops every client made so far. */
  disconnectAll(): Promise<void>;
  /**
   * Resolves once the server has dropped the push registration of `node` after publish errors,
   * as the server itself tells (its registrations, or the line its log writes); rejects after
   * `timeout` ms. ejabberd drops it asynchronously, after the error reply has been read.
   */
  registrationDropped(username: string, node: string, timeout?: number): Promise<void>;
  /**
   * Resolves once the server holds the session of the full JID `jid` for resumption, as the
   * server itself tells (its events, or the line its log writes); rejects after `timeout` ms.
   * ejabberd notices a closed WebSocket only when it next gets to the session, which a send to
   * the closing socket can hold up for its 15 s send timeout.
   */
  hibernated(jid: string, timeout?: number): Promise<void>;
  /** Forgets what the app server received and delivered so far: each scenario counts its own. */
  clearRecords(): void;
  /** Ends the server abruptly. */
  kill(): Promise<void>;
  /** Brings the server back and waits until the app server is linked again. */
  revive(): Promise<void>;
  close(): Promise<void>;
}

const LINK_TIMEOUT = 30_000;

/** WebSocket, unless the runner asked for TCP (`--transport=tcp`): there a real server hands over several elements per read. */
function defaultTransport(): Transport {
  return process.env[ENV.transport] === "tcp" ? "tcp" : "websocket";
}

export type Transport = "websocket" | "tcp";

/** Over plain TCP a server offers SCRAM (the channel is not confidential), which the password gives. */
function tcpClient(service: string, username: string, resource: string): Client {
  return createClient({ service, domain: DOMAIN, resource, username, password: PASSWORD });
}

export interface ConnectOptions {
  transport?: Transport;
  online?: (xmpp: Client) => void;
}

/** What each server logs when it drops a push registration after publish errors. */
/** What each server logs when a stream-managed session of `jid` starts waiting for resumption. */
const HIBERNATED_LOG_LINE: Record<RealServerName, (log: string, jid: string) => boolean> = {
  // Prosody names the session, not the JID, on that line: find the session that bound `jid` last.
  prosody: (log, jid) => {
    const bound = [...log.matchAll(new RegExp(`(c2s[0-9a-f]+)\\s+debug\\s+Resource bound: ${escapeRegExp(jid)}\\s*$`, "gm"))].at(-1);
    return bound !== undefined && log.includes(`${bound[1]}\tdebug\tSession going into hibernation`, bound.index);
  },
  // After the line that opened the session last, so an earlier session of `jid` does not count.
  ejabberd: (log, jid) =>
    new RegExp(`Closing c2s connection for ${escapeRegExp(jid)}: .*waiting \\d+ seconds for stream resumption`).test(log.slice(log.lastIndexOf(`Opened c2s session for ${jid}`))),
};

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const DROPPED_LOG_LINE: Record<RealServerName, (node: string) => string> = {
  prosody: (node) => `Disabling push notifications for identifier '${PUSH_JID}<${node}'`,
  ejabberd: (node) => `(${node}), disabling push`,
};

/** How the reference server is set up for a file's scenarios (preset, modules); the real servers have one configuration. */
export type ReferenceOptions = Pick<XmppServerOptions, "preset" | "mam">;

export function openTarget(name: TargetName, reference: ReferenceOptions = {}): Promise<Target> {
  return name === "reference" ? openReference(reference) : openReal(name);
}

abstract class BaseTarget {
  readonly appServer = createAppServer({ jid: PUSH_JID });
  readonly tap = new Tap(this.appServer);
  readonly #clients: Client[] = [];

  protected abstract client(username: string, resource: string, transport: Transport): Client;

  async connect(username: string, resource: string, options: ConnectOptions = {}): Promise<Client> {
    const xmpp = this.client(username, resource, options.transport ?? defaultTransport());
    const online = options.online;
    if (online) xmpp.once("online", () => online(xmpp));
    // A test decides when a client comes back; the default 1 s reconnect would race it.
    xmpp.reconnect.stop();
    xmpp.on("error", () => undefined);
    this.#clients.push(xmpp);
    await withTimeout(xmpp.start(), 15_000, `${username}/${resource} online`);
    return xmpp;
  }

  clearRecords(): void {
    this.tap.received.length = 0;
    this.appServer.deliveries.length = 0;
  }

  async disconnectAll(): Promise<void> {
    const clients = this.#clients.splice(0);
    await Promise.all(clients.map((xmpp) => withTimeout(xmpp.stop(), 5_000, "client stop").catch(() => xmpp.socket?.end?.())));
  }
}

class ReferenceTarget extends BaseTarget implements Target {
  readonly name = "reference" as const;
  readonly maxPublishErrors = 1;
  readonly link = undefined;
  readonly #options: ReferenceOptions;
  readonly #hibernating = new Set<string>();
  #server: XmppServer;
  /** The server's RFC 6120 listener on loopback, for clients over TCP. */
  #tcp: XmppListener | undefined;

  constructor(options: ReferenceOptions) {
    super();
    this.#options = options;
    this.#server = this.#createServer();
  }

  async listen(): Promise<void> {
    this.#tcp = await listenTcp(this.#server);
  }

  #createServer(): XmppServer {
    const server = createXmppServer({
      ...this.#options,
      domain: DOMAIN,
      users: Object.fromEntries(USERS.map((user) => [user, PASSWORD])),
      push: { maxPublishErrors: this.maxPublishErrors },
    });
    server.attach(this.tap);
    // As the real servers have theirs: a room service for group-chat scenarios.
    server.attach(createMucService({ jid: MUC_JID }));
    server.on("hibernated", (jid) => this.#hibernating.add(jid));
    for (const event of ["resumed", "offline"] as const) server.on(event, (jid) => this.#hibernating.delete(jid));
    return server;
  }

  // The in-memory transport hands over one element per read; over TCP several may come in one.
  protected client(username: string, resource: string, transport: Transport): Client {
    if (transport === "tcp") {
      if (!this.#tcp) throw new Error("the reference server is not listening on TCP (killed and not revived)");
      return tcpClient(this.#tcp.service, username, resource);
    }
    return asClient(this.#server.client({ username, password: PASSWORD, resource }));
  }

  registrationDropped(username: string, node: string, timeout = 5_000): Promise<void> {
    return waitFor(() => !this.#server.registrations(username).some((registration) => registration.node === node), `the registration of ${node} dropped`, timeout);
  }

  hibernated(jid: string, timeout = 30_000): Promise<void> {
    return waitFor(() => this.#hibernating.has(jid), `${jid} hibernated`, timeout);
  }

  async kill(): Promise<void> {
    const tcp = this.#tcp;
    this.#tcp = undefined;
    await tcp?.close();
    await this.#server.close();
  }

  async revive(): Promise<void> {
    await this.kill();
    this.#server = this.#createServer();
    await this.listen();
  }

  async close(): Promise<void> {
    await this.disconnectAll();
    await this.kill();
  }
}

class RealTarget extends BaseTarget implements Target {
  readonly link: ComponentLink;
  readonly maxPublishErrors: number;

  constructor(
    readonly name: RealServerName,
    readonly websocket: string,
    readonly tcp: string,
    readonly logFile: string,
    component: { service: string; password: string; maxPublishErrors: number },
  ) {
    super();
    this.maxPublishErrors = component.maxPublishErrors;
    this.link = connectComponent(this.tap, {
      service: component.service,
      domain: PUSH_JID,
      password: component.password,
      reconnect: { minDelay: 100, maxDelay: 2_000 },
      connectTimeout: 5_000,
    });
  }

  registrationDropped(_username: string, node: string, timeout = 5_000): Promise<void> {
    const evidence = DROPPED_LOG_LINE[this.name](node);
    return waitFor(() => readFileSync(this.logFile, "utf8").includes(evidence), `'${evidence}' in the ${this.name} log`, timeout);
  }

  hibernated(jid: string, timeout = 30_000): Promise<void> {
    const logged = HIBERNATED_LOG_LINE[this.name];
    return waitFor(() => logged(readFileSync(this.logFile, "utf8"), jid), `${jid} hibernated, in the ${this.name} log`, timeout);
  }

  protected client(username: string, resource: string, transport: Transport): Client {
    if (transport === "tcp") return tcpClient(this.tcp, username, resource);
    return createClient({ service: this.websocket, domain: DOMAIN, resource, credentials: plainLogin(username) });
  }

  async kill(): Promise<void> {
    await control(this.name, "kill");
  }

  async revive(): Promise<void> {
    await control(this.name, "start");
    await this.linked();
  }

  /** Resolves once the component link is up (at once if it is). */
  linked(): Promise<void> {
    if (this.link.status === "online") return Promise.resolve();
    return withTimeout(new Promise<void>((resolve) => this.link.once("online", resolve)), LINK_TIMEOUT, `${this.name} component link online`);
  }

  async close(): Promise<void> {
    await this.disconnectAll();
    await this.link.close();
  }
}

async function openReference(options: ReferenceOptions): Promise<Target> {
  const target = new ReferenceTarget(options);
  await target.listen();
  return target;
}

async function openReal(name: RealServerName): Promise<Target> {
  const info = realServer(name);
  const target = new RealTarget(name, info.websocket, info.tcp, info.logFile, { service: info.component, password: info.componentSecret, maxPublishErrors: info.maxPublishErrors });
  try {
    await withTimeout(target.link.ready, LINK_TIMEOUT, `${name} component link`);
  } catch (error) {
    await target.link.close();
    throw error;
  }
  return target;
}
