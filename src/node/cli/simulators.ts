import { listenTcp, listenWebSocket, type XmppListener } from "../index.js";
import { type AppServer, createAppServer, createXmppServer, type XmppServer } from "../../sim/index.js";
import type { CliOptions } from "./arguments.js";
import { ListenError } from "./listen-error.js";

export interface RunningSimulators {
  server: XmppServer;
  appServer: AppServer | undefined;
  tcp: XmppListener | undefined;
  websocket: XmppListener | undefined;
  /** Ends every session, then closes the listeners. */
  close(): Promise<void>;
}

/** The reference server with the app server attached in-process, reachable over the requested sockets. */
export async function startSimulators(options: CliOptions): Promise<RunningSimulators> {
  const server = createXmppServer({
    domain: options.domain,
    users: options.users,
    preset: options.preset,
    // Only when asked: otherwise the preset's own body placeholder (Prosody's "New Message!") stays.
    ...(options.withBody ? { push: { includeBody: true, includeSender: true } } : {}),
    ...(options.authTimeout === undefined ? {} : { authTimeout: options.authTimeout }),
    ...(options.maxStanzaSize === undefined ? {} : { maxStanzaSize: options.maxStanzaSize }),
  });
  const appServer = options.appServer === undefined ? undefined : createAppServer({ jid: options.appServer });
  if (appServer) server.attach(appServer);

  const listeners: XmppListener[] = [];
  const close = async (): Promise<void> => {
    await server.close();
    await Promise.all(listeners.map((listener) => listener.close()));
  };
  const listen = async (port: number | undefined, what: string, start: (port: number) => Promise<XmppListener>) => {
    if (port === undefined) return undefined;
    const listener = await start(port).catch((error: unknown) => {
      throw new ListenError(`${what} on ${options.host}:${port}`, error);
    });
    listeners.push(listener);
    return listener;
  };
  try {
    const tcp = await listen(options.tcpPort, "TCP", (port) => listenTcp(server, { host: options.host, port }));
    const websocket = await listen(options.wsPort, "WebSocket", (port) => listenWebSocket(server, { host: options.host, port }));
    return { server, appServer, tcp, websocket, close };
  } catch (error) {
    await close();
    throw error;
  }
}
