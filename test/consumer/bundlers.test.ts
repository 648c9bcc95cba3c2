import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { xml } from "@xmpp/client";
import { build, transform } from "esbuild";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listenWebSocket, type XmppListener } from "../../src/node/index.js";
import { type AppServer, createAppServer, createXmppServer, type SimulatedClient, type XmppServer } from "../../src/sim/index.js";
import { DEFAULT_GENERIC_BODY } from "../../src/sw/index.js";
import { waitFor } from "../helpers/chain.js";
import { BUNDLERS, type BuiltApp, type Bundler, type BundlerName, buildApp, EXAMPLE_DIR, javascriptFiles } from "./support/bundlers.js";
import { repoRoot } from "./support/project.js";
import { serveFolder } from "./support/serve-folder.js";

/**
 * Issue 8: webpack 5, esbuild, rollup and vite build the tiny app of examples/bundlers/
 * (PushClient + @xmpp/client, and a service worker with xmpp-push/sw) from the packed package,
 * each with exactly the config file the README shows; then every build runs in Debian's
 * Chromium against the reference server's WebSocket listener: subscribe → offline message →
 * delivery at the app server.
 */

const built = new Map<BundlerName, BuiltApp>();

/** What must not be left in a browser bundle: each would fail, or need a polyfill, at run time. */
const LEFTOVERS: [string, RegExp][] = [
  ["a node: specifier", /["'`]node:[a-z]/],
  ["a reference to process", /\bprocess\b/],
  ["vite's stand-in for a Node built-in", /__vite-browser-external/],
];

/**
 * What a bundle still imports or requires from outside itself (chunks of the same build are
 * fine), and the leftovers in its code. esbuild reads the bundle (imports, require calls) and
 * minifies it first, so comments such as rollup keeps cannot match.
 */
async function unresolvedIn(file: string): Promise<string[]> {
  const result = await build({ entryPoints: [file], bundle: true, write: false, metafile: true, packages: "external", external: ["node:*"], logLevel: "silent" });
  const imports = Object.values(result.metafile.inputs).flatMap((input) => input.imports);
  const outside = imports.filter((imported) => imported.external).map((imported) => `${imported.kind} ${imported.path}`);
  const code = (await transform(await readFile(file, "utf8"), { minify: true })).code;
  return [...outside, ...LEFTOVERS.flatMap(([what, pattern]) => {
    const match = pattern.exec(code);
    return match ? [`${what}: …${code.slice(Math.max(0, match.index - 40), match.index + 40)}…`] : [];
  })];
}

/** A top-level `import`/`export`: the file would need a module service worker, which not every browser runs. */
const MODULE_SYNTAX = /(?:^|[;}\n])\s*(?:import\s*[{*"'`\w]|export\s*[{*\w])/;

afterAll(async () => {
  for (const app of built.values()) await app.project.remove();
});

it("the README shows each bundler's config file and the service worker verbatim", async () => {
  const readme = await readFile(join(repoRoot, "README.md"), "utf8");
  for (const file of [...BUNDLERS.map((bundler) => bundler.config), "src/sw.js"]) {
    const text = (await readFile(join(EXAMPLE_DIR, file), "utf8")).trimEnd();
    expect(readme.includes(text), `README.md lacks examples/bundlers/${file}`).toBe(true);
  }
});

it("the bundle check flags a package import, a require call, a node: specifier and process", async () => {
  const dir = await mkdtemp(join(tmpdir(), "xmpp-push-unresolved-"));
  try {
    const file = join(dir, "bundle.js");
    const code = 'import { EventEmitter } from "events";\n// a comment: from "x"\nconst dns = require("dns");\nimport("node:dns");\nexport const tick = () => process.nextTick(() => new EventEmitter(dns));\n';
    await writeFile(file, code);
    expect(await unresolvedIn(file)).toEqual([
      "import-statement events",
      "require-call dns",
      "dynamic-import node:dns",
      expect.stringMatching(/^a node: specifier: /),
      expect.stringMatching(/^a reference to process: /),
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

async function expectCleanBuild(app: BuiltApp): Promise<void> {
  // No warning about what the plugin handles: vite externalizing node:dns, rollup's missing
  // export of the DNS module or its preference for Node's `events`.
  expect(app.log).not.toMatch(/node:dns|externalized|is not exported|preferring built-in/);
  for (const file of await javascriptFiles(app.dist)) {
    expect(await unresolvedIn(join(app.dist, file)), file).toEqual([]);
  }
  const appCode = await readFile(join(app.dist, app.app), "utf8");
  const swCode = await readFile(join(app.dist, app.sw), "utf8");
  expect(appCode).toContain("urn:xmpp:push:0"); // PushClient
  expect(appCode).toContain("urn:ietf:params:xml:ns:xmpp-framing"); // @xmpp/websocket, through @xmpp/client
  expect(swCode).toContain(DEFAULT_GENERIC_BODY); // handlePush
  expect(swCode).not.toMatch(MODULE_SYNTAX);
}

describe.each(BUNDLERS)("$name", (bundler: Bundler) => {
  it("builds the app and the service worker with the README's config, leaving nothing a browser cannot load", async () => {
    const app = await buildApp(bundler);
    built.set(bundler.name, app);
    await expectCleanBuild(app);
  });
});

// ltx requires `events` without declaring it: under pnpm's strict layout only the plugins find it.
it.each(BUNDLERS)("$name builds the same under pnpm with hoist=false", async (bundler: Bundler) => {
  const app = await buildApp(bundler, { manager: "pnpm", npmrc: ["hoist=false"] });
  try {
    expect(await app.project.installedPackages()).toContainEqual(expect.stringMatching(/^ltx@/));
    await expectCleanBuild(app);
  } finally {
    await app.project.remove();
  }
});

it("without the plugin, esbuild fails on node:dns (what the one line fixes)", async () => {
  const app = built.get("esbuild");
  if (!app) throw new Error("the esbuild build failed above");
  const script = 'import { build } from "esbuild"; await build({ entryPoints: ["src/app.js"], bundle: true, format: "esm", write: false, logLevel: "silent" });';
  await app.project.write("without-plugin.mjs", script);
  await expect(app.project.exec("node", ["without-plugin.mjs"])).rejects.toThrow(/Could not resolve "node:dns"/);
});

describe("in Chromium, against the reference server's WebSocket listener", () => {
  const CHROMIUM = "/usr/bin/chromium";
  const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
  const DOMAIN = "example.test";
  const APP_SERVER = "push.example.test";
  const WAIT = 15_000;
  /** The page of the builds that make none (vite makes its own from index.html). */
  const PAGE = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>app</title></head><body>starting<script type="module" src="/app.js"></script></body></html>';

  let server: XmppServer;
  let appServer: AppServer;
  let listener: XmppListener | undefined;
  let browser: Browser | undefined;
  let alice: SimulatedClient | undefined;

  beforeAll(async () => {
    const users = Object.fromEntries([["alice", "alice-pw"], ...BUNDLERS.map((bundler) => [bundler.name, `${bundler.name}-pw`])]);
    server = createXmppServer({ domain: DOMAIN, users });
    appServer = createAppServer({ jid: APP_SERVER });
    server.attach(appServer);
    listener = await listenWebSocket(server);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
    alice = server.client({ username: "alice", password: "alice-pw", resource: "laptop" });
    await alice.start();
  });

  afterAll(async () => {
    const steps: (() => Promise<unknown> | undefined)[] = [() => alice?.stop(), () => browser?.close(), () => listener?.close(), () => server?.close()];
    for (const step of steps) await Promise.resolve().then(step).catch(() => undefined);
  });

  it.each(BUNDLERS)("the $name build subscribes; an offline message reaches the app server", async (bundler: Bundler) => {
    const app = built.get(bundler.name);
    if (!app) throw new Error(`the ${bundler.name} build failed above`);
    const user = bundler.name;
    const token = `fcm-token-${user}`;
    const site = await serveFolder(app.dist, bundler.makesPage ? undefined : PAGE);
    const context = await browser!.newContext();
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      const settings = new URLSearchParams({ service: listener!.service, domain: DOMAIN, username: user, password: `${user}-pw`, appServer: APP_SERVER, token });
      await page.goto(`${site.origin}/?${settings}`);
      await page.waitForFunction(() => /^(subscribed|failed)/.test(document.body.textContent?.trim() ?? ""), undefined, { timeout: WAIT });

      const [registration] = server.registrations(user);
      expect(await page.textContent("body")).toBe(`subscribed ${registration?.node}`);
      expect(registration?.jid).toBe(APP_SERVER);
      expect(appServer.registrations(`${user}@${DOMAIN}`)).toEqual([expect.objectContaining({ provider: "fcm" })]);
      // The bundled service worker ran as a classic script.
      const worker = await page.evaluate(() => navigator.serviceWorker.ready.then((ready) => ready.active?.scriptURL));
      expect(worker).toBe(`${site.origin}/sw.js`);
      expect(errors).toEqual([]);

      // The app logged out: the message is stored offline and pushed.
      await waitFor(() => server.resources(user).length === 0, WAIT, `${user}'s session end`);
      await alice!.send(xml("message", { to: `${user}@${DOMAIN}`, type: "chat" }, xml("body", {}, `Hi ${user}`)));
      await waitFor(() => appServer.deliveries.some((delivery) => delivery.token === token), WAIT, `the push for ${user}`);
      const delivery = appServer.deliveries.find((entry) => entry.token === token);
      expect(delivery).toMatchObject({ provider: "fcm", node: registration?.node, owner: `${user}@${DOMAIN}` });
      expect(delivery?.summary.messageCount).toBe(1);
    } finally {
      await context.close();
      await site.close();
    }
  });
});
