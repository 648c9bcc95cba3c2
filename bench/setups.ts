import type { PushClient } from "xmpp-push";
import { createAppServer, createPubsubService, createXmppServer, type Preset, type ServerModule, type XmppServer } from "xmpp-push/sim";
import { recordedDeliveries, type DeliverySource } from "./windowed-run.js";

/** Where the pushes go: an XEP-0357 app server, or MongooseIM's two setups of seed 004. */
export const SETUPS = ["app-server", "mongooseim-pubsub-full", "mongooseim-pubsub-less"] as const;
export type SetupName = (typeof SETUPS)[number];

export interface SetupOptions {
  domain: string;
  users: Record<string, string>;
  preset: Preset;
  mam: boolean;
  modules: ServerModule[];
}

/** A server wired for one setup: how a user turns push on, and where its deliveries are counted. */
export interface BenchSetup {
  server: XmppServer;
  /** Where the notifications go, for the run's header. */
  target: string;
  subscribe(push: PushClient, token: string): Promise<unknown>;
  deliveries: DeliverySource;
}

export function createSetup(name: SetupName, options: SetupOptions): BenchSetup {
  const { domain, users, preset, mam, modules } = options;
  // The body carries the message's sequence number so a delivery can be matched to its send time.
  const base = { domain, users, preset, mam, modules, push: { includeBody: true } };

  if (name === "app-server") {
    const server = createXmppServer(base);
    const appServer = createAppServer({ jid: `push.${domain}` });
    server.attach(appServer);
    return {
      server,
      target: `app server ${appServer.jid} (XEP-0357 publish, provider fcm)`,
      subscribe: (push, token) => push.subscribe({ appServer: appServer.jid, provider: "fcm", token }),
      deliveries: recordedDeliveries(appServer),
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
