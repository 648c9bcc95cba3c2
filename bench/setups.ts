import type { PushClient, Registration } from "xmpp-push";
import { type AppServer, type AppServerDialectName, createAppServer, createPubsubService, createXmppServer, type Preset, type ServerModule, type XmppServer } from "xmpp-push/sim";
import type { SetupName } from "./options.js";
import { recordedDeliveries, type DeliverySource } from "./windowed-run.js";


export interface SetupOptions {
  domain: string;
  users: Record<string, string>;
  preset: Preset;
  mam: boolean;
  modules: ServerModule[];
  /** The app server's dialect, the one the SDK then discovers and registers with (app-server setup only). */
  dialect?: AppServerDialectName;
  /** v1's throttle window per node, ms. */
  v1RateLimit?: number;
}

/** A server wired for one setup: how a user turns push on, and where its deliveries are counted. */
export interface BenchSetup {
  server: XmppServer;
  /** Where the notifications go, for the run's header. */
  target: string;
  /** `encrypt`: Tigase's encrypted pushes for this registration (tigase dialect only). */
  subscribe(push: PushClient, token: string, encrypt?: boolean): Promise<Registration>;
  deliveries: DeliverySource;
  /** The app server, in the app-server setup. */
  appServer?: AppServer;
}

export function createSetup(name: SetupName, options: SetupOptions): BenchSetup {
  const { domain, users, preset, mam, modules } = options;
  // The body carries the message's sequence number so a delivery can be matched to its send time.
  const base = { domain, users, preset, mam, modules, push: { includeBody: true } };

  if (name === "app-server") {
    const server = createXmppServer(base);
    const dialect = options.dialect ?? "mod-push";
    const appServer = createAppServer({ jid: `push.${domain}`, dialects: [dialect], ...(options.v1RateLimit === undefined ? {} : { v1RateLimit: options.v1RateLimit }) });
    server.attach(appServer);
    // Tigase names its providers tigase:messenger:<name>:<version>; its app server maps them to ours.
    const provider = dialect === "tigase" ? "tigase:messenger:fcm:1" : "fcm";
    return {
      server,
      target: `app server ${appServer.jid} (dialect ${dialect}, discovered by the SDK; XEP-0357 publish, provider ${provider})`,
      subscribe: (push, token, encrypt) => push.subscribe({ appServer: appServer.jid, provider, token, ...(encrypt === undefined ? {} : { tigase: { encrypt } }) }),
      deliveries: recordedDeliveries(appServer),
      appServer,
    };
  }

  if (name === "mongooseim-pubsub-full") {
    const server = createXmppServer(base);
    const pubsub = createPubsubService({ jid: `pubsub.${domain}` });
    server.attach(pubsub);
    return {
      server,
      target: `pubsub service ${pubsub.jid} (PubSub-full: push node per user, publish round trip, MongoosePush-like provider)`,
      subscribe: (push, token) => push.subscribe({ appServer: pubsub.jid, dialect: "mongooseim", provider: "fcm", token }),
      deliveries: recordedDeliveries(pubsub),
    };
  }

  const virtualHost = `virtual.${domain}`;
  let listener: ((body: string | undefined) => void) | undefined;
  const server = createXmppServer({
    ...base,
    push: { ...base.push, virtualPubsubHosts: [virtualHost], pushService: (notification) => listener?.(notification.summary.lastMessageBody) },
  });
  return {
    server,
    target: `virtual pubsub host ${virtualHost} (PubSub-less: push.pushService in the server, no pubsub round trip)`,
    subscribe: (push, token) => push.subscribe({ appServer: virtualHost, dialect: "mongooseim", virtualPubsubHost: true, provider: "fcm", token }),
    deliveries: (next) => {
      listener = next;
      return () => (listener = undefined);
    },
  };
}
