// Loads the built package the way users will — ESM import and CommonJS require (Node's
// require(esm): the package is ESM only), by package name through the exports map — checks that
// both give the very same classes, and runs one login against the simulator from each; then
// runs the xmpp-push-sim bin.
import { spawn, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";

const require = createRequire(import.meta.url);
const names = ["xmpp-push", "xmpp-push/sim", "xmpp-push/sim/node", "xmpp-push/idb", "xmpp-push/web", "xmpp-push/sw", "xmpp-push/bundler", "xmpp-push/async-storage"];
const load = async (format) => Object.fromEntries(await Promise.all(names.map(async (name) => [name, format === "esm" ? await import(name) : require(name)])));
const expected = {
  "xmpp-push/sim/node": ["listenTcp", "listenWebSocket", "webPushProvider", "createPushService"],
  "xmpp-push/idb": ["IdbStore"],
  "xmpp-push/web": ["subscribeWebPush", "subscriptionToToken"],
  "xmpp-push/sw": ["handlePush", "handleNotificationClick"],
  "xmpp-push/bundler": ["webpackPlugin", "esbuildPlugin", "rollupPlugin", "vitePlugin"],
  "xmpp-push/async-storage": ["AsyncStorageStore"],
};
const loaded = { esm: await load("esm"), cjs: await load("cjs") };
for (const [format, modules] of Object.entries(loaded)) {
  for (const [name, exports] of Object.entries(expected)) {
    const missing = exports.filter((key) => typeof modules[name][key] !== "function");
    if (missing.length) throw new Error(`${format}: ${name} lacks ${missing.join(", ")}`);
  }
}
for (const name of names) {
  for (const [key, value] of Object.entries(loaded.esm[name])) {
    if (loaded.cjs[name][key] !== value) throw new Error(`require("${name}").${key} is not import("${name}").${key}: two copies`);
  }
}
const esm = { core: loaded.esm["xmpp-push"], sim: loaded.esm["xmpp-push/sim"] };
const cjs = { core: loaded.cjs["xmpp-push"], sim: loaded.cjs["xmpp-push/sim"] };

for (const [format, { core, sim }] of Object.entries({ esm, cjs })) {
  const enable = core.buildEnable({ jid: "push.example.test", node: "n1", publishOptions: { secret: "s" } }).toString();
  if (!enable.includes('node="n1"') || typeof core.PushClient !== "function") throw new Error(`${format}: core entry is broken`);
  const server = sim.createXmppServer({ domain: "example.test", users: { bob: "pw" } });
  server.attach(sim.createAppServer({ jid: "push.example.test" }));
  const xmpp = server.client({ username: "bob", password: "pw", resource: "dist" });
  await xmpp.start();
  const push = new core.PushClient(xmpp);
  const registration = await push.subscribe({ appServer: "push.example.test", provider: "fcm", token: "t" });
  if (server.registrations("bob")[0]?.node !== registration.node) throw new Error(`${format}: subscribe did not enable`);
  await xmpp.stop();
  await server.close();
  console.log(`dist ${format}: ok (${names.length} entries load; subscribe through the built package)`);
}

// The xmpp-push-sim bin as npm installs it: run through its shebang, its imports resolved from
// the package's dependencies; --help, then a start on free ports and a SIGTERM stop.
const packageJson = require("xmpp-push/package.json");
const bin = join(dirname(require.resolve("xmpp-push/package.json")), packageJson.bin["xmpp-push-sim"]);
const help = spawnSync(bin, ["--help"], { encoding: "utf8", timeout: 10_000 });
if (help.status !== 0 || !help.stdout.startsWith("Usage: xmpp-push-sim")) throw new Error(`bin: --help exited ${help.status}: ${help.stderr}`);

const sim = spawn(bin, ["--tcp-port", "0", "--ws-port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
let stderr = "";
sim.stderr.on("data", (chunk) => (stderr += chunk));
const guard = setTimeout(() => sim.kill("SIGKILL"), 10_000);
const exited = new Promise((resolve) => sim.once("close", resolve));
const lines = createInterface({ input: sim.stdout })[Symbol.asyncIterator]();
const nextLine = async () => JSON.parse((await lines.next()).value ?? "{}");
const listening = await nextLine();
sim.kill("SIGTERM");
const stopped = await nextLine();
const code = await exited;
clearTimeout(guard);
if (!listening.tcp?.startsWith("xmpp://127.0.0.1:") || stopped.event !== "stopped" || code !== 0) {
  throw new Error(`bin: ${JSON.stringify({ listening, stopped, code, stderr })}`);
}
console.log(`dist bin: ok (xmpp-push-sim --help; listening on ${listening.tcp}, stopped on SIGTERM)`);
