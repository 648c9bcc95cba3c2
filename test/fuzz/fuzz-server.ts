import { type AppServer, createAppServer, createXmppServer, type XmppServer, type XmppServerOptions } from "../../src/sim/index.js";
import type { EscapeLog } from "./escape-log.js";
import type { PreparedProperty } from "./fuzz-property.js";

export const DOMAIN = "example.test";
export const APP_SERVER_JID = "push.example.test";
/** The accounts scripts log in as; `bob` stays offline so that messages to him are stored and pushed. */
export const USERS = { alice: "secret", bob: "pw" } as const;

/**
 * Limits small enough that fuzzed input reaches them (stanza size, depth) and timers short
 * enough that no case waits on them for long; every timer ends with the server's `close()`.
 */
export const FUZZ_LIMITS = {
  maxStanzaSize: 8_192,
  maxDepth: 24,
  authTimeout: 2_000,
  streamManagement: { resumeTimeout: 40, ackDelay: 20, maxQueueSize: 50 },
  push: { publishTimeout: 50 },
} satisfies Partial<XmppServerOptions>;

/** The reference server with the app server attached as its push service, as in a real deployment. */
export interface FuzzServer {
  readonly server: XmppServer;
  readonly appServer: AppServer;
  close(): Promise<void>;
}

/** The reference server with the fuzz limits, its internal errors counted in `log`. */
export function createLoggedServer(log: EscapeLog, options: Partial<XmppServerOptions> = {}): XmppServer {
  const server = createXmppServer({ domain: DOMAIN, users: { ...USERS }, ...FUZZ_LIMITS, ...options });
  server.on("internal-error", (error, stanza) => log.internalError(error, stanza ? `on ${stanza.toString().slice(0, 300)}` : "on connection data"));
  return server;
}

export function createFuzzServer(log: EscapeLog, options: Partial<XmppServerOptions> = {}): FuzzServer {
  const server = createLoggedServer(log, options);
  const appServer = createAppServer({ jid: APP_SERVER_JID });
  const detach = server.attach(appServer);
  return {
    server,
    appServer,
    async close() {
      detach();
      await server.close();
    },
  };
}

/** A property on one fuzz server for all its cases, closed when the runs are over. */
export function onFuzzServer<Input>(log: EscapeLog, make: (fuzz: FuzzServer) => Omit<PreparedProperty<Input>, "finish">): PreparedProperty<Input> {
  const fuzz = createFuzzServer(log);
  return {
    ...make(fuzz),
    async finish() {
      await fuzz.close();
      return undefined;
    },
  };
}
