/**
 * The PWA example in one command (npm run example:pwa): the reference XMPP server on a WebSocket
 * listener, with Push 2.0; the app server with the Web Push provider (the
 * XEP-0357 path); the Push 2.0 relay (the Push 2.0 path); and the page on http://localhost,
 * which browsers treat as a secure context, so service workers and push work without TLS.
 *
 * Env: PORT (default 8080); VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY, VAPID_SUBJECT (default: a key
 * pair made at start-up; subscriptions made with an earlier key are replaced on "Enable").
 */
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { createPush2Relay, type Fetch, generateVapidKeys, listenWebSocket, type Push2Relay, type VapidDetails, webPushProvider } from "../../src/node/index.js";
import { type AppServer, createAppServer, createXmppServer, type XmppServer } from "../../src/sim/index.js";
import { bundlePwa } from "./bundle.js";

const DOMAIN = "example.test";
const APP_SERVER = "push.example.test";
/** The Push 2.0 relay: the `<service/>` of the PWA's enable. */
const RELAY = "relay.example.test";
export const USERS = { alice: "alice-pw", bob: "bob-pw" };

export interface PwaExampleOptions {
  /** HTTP port of the page; default 0 (a free one). */
  port?: number;
  /** The fetch the Web Push provider and the Push 2.0 relay POST with; default the global one. */
  pushFetch?: Fetch;
  /** Which push endpoints the relay may POST to; default `https:` ones (every browser's push service). */
  allowEndpoint?: (url: URL) => boolean;
  /** Default: VAPID_* from the environment, else a fresh key pair. */
  vapid?: VapidDetails;
}

export interface PwaExample {
  /** The page, e.g. `http://localhost:8080/`. */
  url: string;
  /** The XMPP WebSocket service, e.g. `ws://127.0.0.1:39615/xmpp-websocket`. */
  xmppService: string;
  domain: string;
  server: XmppServer;
  appServer: AppServer;
  relay: Push2Relay;
  vapidPublicKey: string;
  close(): Promise<void>;
}

export async function startPwaExample(options: PwaExampleOptions = {}): Promise<PwaExample> {
  const vapid = options.vapid ?? vapidFromEnv() ?? { subject: `mailto:admin@${DOMAIN}`, ...generateVapidKeys() };
  // XEP-0357: the sender lets the service worker title the notification and collapse it per
  // conversation; the message text stays out of the push (mod_cloud_notify's private default).
  // Push 2.0: the server encrypts the whole message to the browser; with SASL2/Bind2 the app's
  // stored enable rides inside the login.
  const server = createXmppServer({ domain: DOMAIN, users: USERS, push: { includeSender: true }, push2: { contactUri: vapid.subject }, sasl2: true });
  const provider = webPushProvider({ vapid, ...(options.pushFetch ? { fetch: options.pushFetch } : {}) });
  provider.on("error", (error) => console.error(`web push: ${error.message}`));
  const appServer = createAppServer({ jid: APP_SERVER, vapidPublicKey: vapid.publicKey, providers: { webpush: provider } });
  server.attach(appServer);
  const relay = createPush2Relay({
    jid: RELAY,
    servers: [DOMAIN],
    ...(options.pushFetch ? { fetch: options.pushFetch } : {}),
    ...(options.allowEndpoint ? { allowEndpoint: options.allowEndpoint } : {}),
    // The outcome and the push service's origin only: the relay never sees the message.
    log: (entry) => entry.outcome !== "delivered" && console.error(`push2 relay: ${entry.outcome} from ${entry.origin ?? "?"} (${entry.reason ?? entry.status ?? ""})`),
  });
  server.attach(relay);
  const xmpp = await listenWebSocket(server);

  let http: Server;
  try {
    const config = JSON.stringify({ service: xmpp.service, domain: DOMAIN, appServer: APP_SERVER, push2Service: RELAY });
    const files = { ...(await staticFiles()), ...(await bundlePwa()), "config.json": config };
    http = await listen(files, options.port ?? 0);
  } catch (error) {
    // A busy port or a bundling error: stop what already listens, so the process can end.
    await xmpp.close();
    await server.close();
    await relay.close();
    throw error;
  }
  const { port } = http.address() as AddressInfo;

  return {
    url: `http://localhost:${port}/`,
    xmppService: xmpp.service,
    domain: DOMAIN,
    server,
    appServer,
    relay,
    vapidPublicKey: vapid.publicKey,
    async close() {
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
      await xmpp.close();
      await server.close();
      await relay.close();
    },
  };
}

function vapidFromEnv(): VapidDetails | undefined {
  const { VAPID_PUBLIC_KEY: publicKey, VAPID_PRIVATE_KEY: privateKey, VAPID_SUBJECT: subject } = process.env;
  return publicKey && privateKey ? { subject: subject ?? `mailto:admin@${DOMAIN}`, publicKey, privateKey } : undefined;
}

async function staticFiles(): Promise<Record<string, string>> {
  const names = ["index.html", "manifest.webmanifest", "icon.svg"];
  const texts = await Promise.all(names.map((name) => readFile(new URL(name, import.meta.url), "utf8")));
  return Object.fromEntries(names.map((name, index) => [name, texts[index] ?? ""]));
}

const TYPES: Record<string, string> = {
  html: "text/html",
  js: "text/javascript",
  json: "application/json",
  webmanifest: "application/manifest+json",
  svg: "image/svg+xml",
};

/** Serves the files on 127.0.0.1 (what `localhost` reaches). Nothing else: no directory is exposed. */
async function listen(files: Record<string, string>, port: number): Promise<Server> {
  const http = createServer((request, response) => {
    const name = new URL(request.url ?? "/", "http://localhost").pathname.slice(1) || "index.html";
    const body = files[name];
    if (body === undefined) {
      response.writeHead(404).end("not found");
      return;
    }
    const type = TYPES[name.split(".").pop() ?? ""] ?? "application/octet-stream";
    response.writeHead(200, { "content-type": `${type}; charset=utf-8`, "cache-control": "no-cache" }).end(body);
  });
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(port, "127.0.0.1", resolve);
  });
  return http;
}

async function main(): Promise<void> {
  const example = await startPwaExample({ port: Number(process.env.PORT ?? 8080) });
  example.appServer.on("delivered", (delivery) => console.log(`push for ${delivery.owner} accepted by the push service`));
  example.relay.on("outcome", (entry) => entry.outcome === "delivered" && console.log(`Push 2.0 notification relayed to ${entry.origin}`));
  console.log(`
xmpp-push PWA example
  page            ${example.url}
  XMPP WebSocket  ${example.xmppService} (domain ${example.domain})
  app server      ${APP_SERVER} (XEP-0357 → Web Push, VAPID key ${example.vapidPublicKey.slice(0, 12)}…)
  Push 2.0 relay  ${RELAY} (the XMPP server encrypts; the relay only forwards)
  users           ${Object.entries(USERS).map(([user, password]) => `${user} / ${password}`).join(", ")}

Log in as bob, pick "XEP-0357 via app server" or "Push 2.0", Enable notifications, log out (or
close the tab); log in as alice in another window and send bob a message: the push goes through
your browser's push service (FCM for Chrome, Mozilla's for Firefox) to bob's service worker.
With XEP-0357 it names alice; with Push 2.0 it shows her text too, which only the browser can
decrypt. Ctrl+C stops.
`);
  const stop = (): void => void example.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
