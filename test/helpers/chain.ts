import { type Client, xml } from "@xmpp/client";
import { dialects, PushClient, type PushClientEvents, type PushClientOptions, push2, type RegisterOptions, rooms } from "../../src/index.js";
import {
  type AppServer,
  type AppServerEvents,
  type AppServerOptions,
  createAppServer,
  createXmppServer,
  type Preset,
  type PushOptions,
  type XmppServer,
  type XmppServerEvents,
  type XmppServerOptions,
} from "../../src/sim/index.js";
import { sleep } from "./wait.js";
import { asClient } from "./real-client.js";

export const DOMAIN = "example.test";
export const APP_SERVER = "push.example.test";

export interface Chain {
  server: XmppServer;
  appServer: AppServer;
  /** A started @xmpp/client for `username` (password "pw"). */
  connect(username: string, resource?: string): Promise<Client>;
  /** A started client with a PushClient on it: every built-in dialect and extension unless `options` names its own. */
  device(username: string, resource?: string, options?: PushClientOptions): Promise<{ xmpp: Client; push: PushClient }>;
  close(): Promise<void>;
}

/** The whole chain in one process: reference XMPP server, app server attached, accounts alice/bob/carol. */
export function createChain(
  options: { preset?: Preset; push?: PushOptions; appServer?: Partial<AppServerOptions>; server?: Partial<XmppServerOptions> } = {},
): Chain {
  const server = createXmppServer({
    domain: DOMAIN,
    users: { alice: "pw", bob: "pw", carol: "pw" },
    ...(options.preset ? { preset: options.preset } : {}),
    ...(options.push ? { push: options.push } : {}),
    ...options.server,
  });
  const appServer = createAppServer({ jid: APP_SERVER, ...options.appServer });
  server.attach(appServer);
  const clients: Client[] = [];

  async function connect(username: string, resource = "phone"): Promise<Client> {
    const xmpp = asClient(server.client({ username, password: "pw", resource }));
    xmpp.on("error", () => {});
    clients.push(xmpp);
    await xmpp.start();
    return xmpp;
  }

  return {
    server,
    appServer,
    connect,
    async device(username, resource, pushOptions) {
      const xmpp = await connect(username, resource);
      return { xmpp, push: new PushClient(xmpp, { dialects, extensions: [push2, rooms], ...pushOptions }) };
    },
    async close() {
      await Promise.all(clients.map((xmpp) => (xmpp.status === "offline" ? undefined : xmpp.stop().catch(() => undefined))));
      await server.close();
    },
  };
}

export function chat(to: string, body?: string, children: ReturnType<typeof xml>[] = []): ReturnType<typeof xml> {
  return xml("message", { to, type: "chat" }, ...(body === undefined ? [] : [xml("body", {}, body)]), ...children);
}

type LooseSource = { on(name: string, listener: (...args: unknown[]) => void): unknown; once(name: string, listener: (...args: unknown[]) => void): unknown };

/** Resolves with the arguments of the next `name` event, or rejects after `timeout` ms. */
export function nextEvent<N extends keyof XmppServerEvents>(source: XmppServer, name: N, timeout?: number): Promise<XmppServerEvents[N]>;
export function nextEvent<N extends keyof AppServerEvents>(source: AppServer, name: N, timeout?: number): Promise<AppServerEvents[N]>;
export function nextEvent<N extends keyof PushClientEvents>(source: PushClient, name: N, timeout?: number): Promise<PushClientEvents[N]>;
export function nextEvent(source: unknown, name: string, timeout = 3000): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${name}' event within ${timeout} ms`)), timeout);
    (source as LooseSource).once(name, (...args) => {
      clearTimeout(timer);
      resolve(args);
    });
  });
}

/** Collects the arguments of every `name` event from now on. */
export function record<N extends keyof XmppServerEvents>(source: XmppServer, name: N): XmppServerEvents[N][];
export function record<N extends keyof AppServerEvents>(source: AppServer, name: N): AppServerEvents[N][];
export function record<N extends keyof PushClientEvents>(source: PushClient, name: N): PushClientEvents[N][];
export function record(source: unknown, name: string): unknown[][] {
  const seen: unknown[][] = [];
  (source as LooseSource).on(name, (...args) => seen.push(args));
  return seen;
}

/** Polls until `condition` holds, or fails after `timeout` ms. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeout = 3000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

/** Goes offline and waits until the server has seen the session end. */
export async function goOffline(chain: Chain, xmpp: Client): Promise<void> {
  const jid = xmpp.jid?.toString();
  await xmpp.stop();
  await waitFor(() => !chain.server.resources(jid?.split("@")[0] ?? "").includes(jid ?? ""), 3000, "session end");
}

/** bob subscribes on his phone and goes offline; alice comes online on her laptop, ready to write to him. */
export async function bobSubscribesAndGoesOffline(chain: Chain, device: Omit<RegisterOptions, "appServer">) {
  const bob = await chain.device("bob");
  const registration = await bob.push.subscribe({ appServer: APP_SERVER, ...device });
  await goOffline(chain, bob.xmpp);
  const alice = await chain.connect("alice", "laptop");
  return { bob, alice, registration };
}

/**
 * Sentinel: a disco#info round trip from `xmpp` to `to` (default: its own server). The server
 * handles one stream's stanzas in order and, while handling each, routes it on, hands components
 * (which handle theirs in order) what is theirs and sends the publishes it causes; so once the
 * answer is back, everything `xmpp` sent before has been handled and every publish it caused has
 * been handed to the app server.
 */
export async function afterRoundTrip(xmpp: Client, to?: string): Promise<void> {
  await xmpp.iqCaller.request(xml("iq", { type: "get", ...(to ? { to } : {}) }, xml("query", { xmlns: "http://jabber.org/protocol/disco#info" })), 3000);
}

/**
 * Waits until the app server has delivered as many publishes as `handed()` counts were sent to it
 * (the server's and the MUC service's `published` events); after a sentinel, any unwanted push is
 * then among `deliveries`, not still on its way.
 */
export async function deliveredAll(appServer: AppServer, handed: () => number): Promise<void> {
  await waitFor(() => appServer.deliveries.length >= handed(), 3000, `the app server's ${handed()} deliveries`);
}
