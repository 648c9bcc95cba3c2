import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Client, client, xml } from "@xmpp/client";
import { type BrowserContext, type CDPSession, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { WebSocket } from "ws";
import { type PwaExample, startPwaExample, USERS } from "../../examples/pwa/serve.js";
import { createPushService, type PushService } from "../../src/node/index.js";
import { DEFAULT_GENERIC_BODY, readPush2Envelope } from "../../src/sw/index.js";
import { artifactPath } from "../artifacts.js";
import { waitFor } from "../helpers/chain.js";
import { FAKE_PUSH_MANAGER, MINT_BINDING, type MintBinding } from "./fake-push-manager.js";

/**
 * The example PWA in real Chromium, the whole Web Push chain: bob enables notifications and logs
 * out; alice writes; the XMPP server publishes, the app server's Web Push provider POSTs the
 * encrypted, VAPID-signed push to the push-service simulator, which verifies and decrypts it;
 * the plaintext goes to bob's service worker over the DevTools protocol, which shows it. Then the
 * same with Push 2.0: the XMPP server encrypts alice's message to bob's browser and the relay
 * POSTs it to the push-service simulator; the service worker shows her name and text.
 */

const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
/** `npm run record` copies it to docs/pwa.png, the README's picture. */
const SCREENSHOT = artifactPath("browser", "pwa.png");
const WAIT = 15_000;
/** alice writes from a laptop; the server speaks Bind2 (XEP-0386), so her resource is her tag with a suffix the server picks. */
const ALICE_LAPTOP = expect.stringMatching(/^alice@example\.test\/laptop\/[0-9a-f]+$/);

let example: PwaExample | undefined;
let pushService: PushService | undefined;
let context: BrowserContext | undefined;
let alice: Client | undefined;
let profile: string | undefined;
const pageErrors: string[] = [];

beforeAll(async () => {
  // Node 20 has no global WebSocket; alice's @xmpp/client uses the global one.
  globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket;
  pushService = await createPushService();
  // The simulator's endpoints are plain http on this machine; a real browser's are https.
  example = await startPwaExample({ allowEndpoint: (url) => url.origin === pushService?.origin });
  profile = await mkdtemp(join(tmpdir(), "xmpp-push-pwa-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    permissions: ["notifications"],
    viewport: { width: 640, height: 440 },
  });
  const service = pushService;
  const mint: MintBinding = (applicationServerKey) => service.subscribe({ applicationServerKey });
  await context.exposeBinding(MINT_BINDING, (_source, key: string) => mint(key));
  await context.addInitScript({ content: FAKE_PUSH_MANAGER });
});

afterAll(async () => {
  const steps: (() => Promise<unknown> | undefined)[] = [
    () => alice?.stop(),
    () => context?.close(),
    () => example?.close(),
    () => pushService?.close(),
    () => (profile ? rm(profile, { recursive: true, force: true }) : undefined),
  ];
  // Every step runs even when one before it failed.
  for (const step of steps) await Promise.resolve().then(step).catch(() => undefined);
});

it("bob's closed PWA shows a notification for alice's message, pushed through the whole chain", async () => {
  const app = example!;
  const page = context!.pages()[0] ?? (await context!.newPage());
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.goto(app.url);

  await logIn(page, "bob");
  const cdp = await context!.newCDPSession(page);
  const registrationId = serviceWorkerRegistration(cdp, app.url);
  registrationId.catch(() => undefined); // awaited below; this only keeps an early failure from also reporting it unhandled
  await cdp.send("ServiceWorker.enable");
  await page.click("#enable");
  await waitForText(page, "#push-status", "push enabled (XEP-0357 via app server)");
  expect(await page.textContent("#permission")).toBe("granted");

  const [registration] = app.server.registrations("bob");
  expect(registration?.jid).toBe("push.example.test");
  const [appRegistration] = app.appServer.registrations("bob@example.test");
  expect(appRegistration?.provider).toBe("webpush");
  expect(appRegistration?.fields.endpoint?.[0]).toMatch(new RegExp(`^${pushService!.origin}/push/`));

  // The chat works while bob is online, and no push is sent then.
  alice = await connectAlice(app);
  const atAlice = new Promise<string>((resolve) => alice!.on("stanza", (stanza) => stanza.is("message") && resolve(stanza.getChildText("body") ?? "")));
  await alice.send(xml("message", { to: "bob@example.test", type: "chat" }, xml("body", {}, "Are you around?")));
  await waitForText(page, "#messages", "alice@example.test: Are you around?");
  await page.fill("#send [name=to]", "alice");
  await page.fill("#send [name=text]", "Leaving now, write me later");
  await page.click("#send button");
  expect(await within(atAlice, "alice receiving bob's message")).toBe("Leaving now, write me later");
  await page.screenshot({ path: SCREENSHOT });

  // Log out and close the app: only the service worker is left.
  await page.click("#logout");
  await waitFor(() => app.server.resources("bob").length === 0, WAIT, "bob's session end");
  await page.goto("about:blank");
  expect(pushService!.messages).toHaveLength(0);

  await alice.send(xml("message", { to: "bob@example.test", type: "chat" }, xml("body", {}, "Dinner at 8?")));
  const message = await pushService!.nextMessage({ timeout: WAIT });
  expect(message.endpoint).toBe(appRegistration?.fields.endpoint?.[0]);
  expect(message.headers["content-encoding"]).toBe("aes128gcm");
  expect(message.headers.authorization).toMatch(/^vapid t=.+, k=/);
  const payload = JSON.parse(message.plaintext ?? "");
  // The example server sends the sender, not the text (includeSender: true, includeBody: false).
  expect(payload).toEqual({
    v: 1,
    node: registration?.node,
    account: "bob@example.test",
    summary: { messageCount: 1, lastMessageSender: ALICE_LAPTOP },
  });

  await cdp.send("ServiceWorker.deliverPushMessage", { origin: new URL(app.url).origin, registrationId: await registrationId, data: message.plaintext ?? "" });
  await page.goto(app.url);
  const notifications = await waitForNotifications(page);
  expect(notifications).toEqual([
    {
      title: "alice@example.test",
      body: DEFAULT_GENERIC_BODY,
      tag: "alice@example.test",
      data: { xmppPush: 1, node: registration?.node, account: "bob@example.test", chat: "alice@example.test" },
    },
  ]);

  // Back in: the message is there; "Disable notifications" removes the registration everywhere.
  await logIn(page, "bob");
  await waitForText(page, "#messages", "alice@example.test: Dinner at 8?");
  expect(await page.textContent("#push-status")).toBe("push enabled (XEP-0357 via app server)");
  await page.click("#disable");
  await waitForText(page, "#push-status", "push disabled");
  expect(app.server.registrations("bob")).toEqual([]);
  expect(app.appServer.registrations("bob@example.test")).toEqual([]);
  expect(pageErrors).toEqual([]);
});

it("with Push 2.0 the closed PWA shows alice's name and text, which only the browser could decrypt", async () => {
  const app = example!;
  const page = context!.pages()[0] ?? (await context!.newPage());
  await page.goto(app.url);
  await closeNotifications(page);

  await logIn(page, "bob");
  const cdp = await context!.newCDPSession(page);
  const registrationId = serviceWorkerRegistration(cdp, app.url);
  registrationId.catch(() => undefined);
  await cdp.send("ServiceWorker.enable");
  await page.check("#method-push2");
  await page.click("#enable");
  await waitForText(page, "#push-status", "push enabled (Push 2.0)");
  // No app server: the XMPP server holds the registration, with the endpoint the simulator minted.
  expect(app.appServer.registrations("bob@example.test")).toEqual([]);
  const [registration] = app.server.push2Registrations("bob");
  expect(registration?.service).toBe("relay.example.test");
  expect(registration?.client).toMatch(new RegExp(`^${pushService!.origin}/push/`));

  await page.click("#logout");
  await waitFor(() => app.server.resources("bob").length === 0, WAIT, "bob's session end");
  await page.goto("about:blank");

  alice ??= await connectAlice(app);
  await alice.send(xml("message", { to: "bob@example.test", type: "chat" }, xml("body", {}, "The train is late, 8:30")));
  const message = await pushService!.nextMessage({ timeout: WAIT });
  expect(message.endpoint).toBe(registration?.client);
  expect(message.headers["content-encoding"]).toBe("aes128gcm");
  expect(message.headers.authorization).toMatch(/^vapid t=.+, k=/);
  // The simulator decrypted it with the keys it minted for the browser: the XEP-0420 envelope.
  expect(readPush2Envelope(message.plaintext ?? "")).toMatchObject({ sender: ALICE_LAPTOP, message: "The train is late, 8:30" });
  // Once the push service's answer is in, the relay holds nothing but counts.
  await within(app.relay.idle(), "the relay's answer");
  expect(app.relay.state()).toMatchObject({ delivered: 1, inFlight: 0, queued: 0 });

  await cdp.send("ServiceWorker.deliverPushMessage", { origin: new URL(app.url).origin, registrationId: await registrationId, data: message.plaintext ?? "" });
  await page.goto(app.url);
  expect(await waitForNotifications(page)).toEqual([
    {
      title: "alice@example.test",
      body: "The train is late, 8:30",
      tag: "alice@example.test",
      data: { xmppPush: 1, account: "bob@example.test", chat: "alice@example.test" },
    },
  ]);

  // Back in: the registration is enabled again, the same one (same user-agent id); disable removes it.
  await logIn(page, "bob");
  await waitForText(page, "#messages", "alice@example.test: The train is late, 8:30");
  expect(await page.textContent("#push-status")).toBe("push enabled (Push 2.0)");
  expect(app.server.push2Registrations("bob")).toHaveLength(1);
  await page.click("#disable");
  await waitForText(page, "#push-status", "push disabled");
  expect(app.server.push2Registrations("bob")).toEqual([]);
  expect(pageErrors).toEqual([]);
});

async function closeNotifications(page: Page): Promise<void> {
  await page.evaluate(() =>
    navigator.serviceWorker.getRegistration().then((worker) => worker?.getNotifications().then((list) => list.forEach((shown) => shown.close()))),
  );
}

async function logIn(page: Page, username: keyof typeof USERS): Promise<void> {
  await page.fill("#login [name=username]", username);
  await page.fill("#login [name=password]", USERS[username]);
  await page.click("#login button");
  await page.locator("#chat").waitFor({ state: "visible", timeout: WAIT });
}

async function connectAlice(app: PwaExample): Promise<Client> {
  const xmpp = client({ service: app.xmppService, domain: app.domain, username: "alice", password: USERS.alice, resource: "laptop" });
  xmpp.on("error", () => undefined);
  await within(xmpp.start(), "alice online");
  await xmpp.send(xml("presence"));
  return xmpp;
}

/** The id of the service worker registration for `scope`, from the ServiceWorker domain's events. */
function serviceWorkerRegistration(cdp: CDPSession, scope: string): Promise<string> {
  return within(
    new Promise<string>((resolve) =>
      cdp.on("ServiceWorker.workerRegistrationUpdated", ({ registrations }) => {
        const found = registrations.find((entry) => entry.scopeURL === scope && !entry.isDeleted);
        if (found) resolve(found.registrationId);
      }),
    ),
    "the service worker registration",
  );
}

async function waitForText(page: Page, selector: string, text: string): Promise<void> {
  try {
    await page.locator(selector, { hasText: text }).waitFor({ timeout: WAIT });
  } catch (error) {
    const shown = await page.textContent("#error").catch(() => null);
    throw new Error(`"${text}" never appeared in ${selector}; the page says: ${shown || "nothing"}; page errors: ${pageErrors.join("; ") || "none"}`, { cause: error });
  }
}

interface ShownNotification {
  title: string;
  body: string;
  tag: string;
  data: unknown;
}

async function waitForNotifications(page: Page): Promise<ShownNotification[]> {
  const read = (): Promise<ShownNotification[]> =>
    page.evaluate(() =>
      navigator.serviceWorker.ready
        .then((worker) => worker.getNotifications())
        .then((list) => list.map((shown) => ({ title: shown.title, body: shown.body, tag: shown.tag, data: shown.data as unknown }))),
    );
  const deadline = Date.now() + WAIT;
  for (;;) {
    const shown = await read();
    if (shown.length > 0 || Date.now() > deadline) return shown;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function within<T>(promise: Promise<T>, what: string, timeout = WAIT): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeout);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}
