/**
 * Browser bundle sizes of each entry, minified + gzipped: the package's own code (the xmpp.js
 * family and idb stay external — an app using @xmpp/client ships them already) and the total with
 * dependencies. Goals (design.md "Size budget"): sw ≤ 2 kB (the "sw:" rows: what each kind of
 * worker bundles), `{ PushClient }` (mod-push only) ≤ 6 kB without @xmpp/client, each further
 * dialect or extension an app passes ≤ 1 kB more (the "+" column).
 * Then the tiny app of examples/bundlers/ (PushClient + @xmpp/client, and its service worker) as
 * each bundler builds it from the packed package with the README's config, in a temporary project.
 * Run: npm run size
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build, transform } from "esbuild";
import { BUNDLERS, buildApp } from "../test/consumer/support/bundlers.js";

/** A service worker's own code importing `names` from xmpp-push/sw, as an app's would. */
function worker(names: string, onPush: string): string {
  return `import { ${names} } from "./src/sw/index.ts";
self.addEventListener("push", (event) => ${onPush});
self.addEventListener("notificationclick", (event) => handleNotificationClick(event));`;
}

const entries = {
  "xmpp-push": "src/index.ts",
  "{ PushClient }": 'export { PushClient } from "./src/index.ts";',
  "xmpp-push/web": "src/web/index.ts",
  "xmpp-push/idb": "src/idb/index.ts",
  ...Object.fromEntries(["p2", "v1", "tigase", "mongooseim", "push2", "rooms"].map((name) => [`{ PushClient, ${name} }`, `export { PushClient, ${name} } from "./src/index.ts";`])),
  "xmpp-push/sw": "src/sw/index.ts",
  // What a service worker bundles of xmpp-push/sw, one row per shape: the entry as a whole holds all three.
  "sw: handlePush + click": worker("handleNotificationClick, handlePush", "handlePush(event)"),
  "sw: + readPush2Envelope": worker("handleNotificationClick, handlePush, readPush2Envelope", "handlePush(event, { push2: readPush2Envelope })"),
  "sw: + tigaseDecryption": worker(
    "handleNotificationClick, handlePush, tigaseDecryption",
    "handlePush(event, { decrypt: tigaseDecryption({ registrationFor: async () => undefined }) })",
  ),
  "xmpp-push/async-storage": "src/async-storage/index.ts",
};

async function gzippedSize(entry: string, external: string[]): Promise<number> {
  const source = entry.startsWith("import ") || entry.startsWith("export ");
  const result = await build({
    ...(source ? { stdin: { contents: entry, resolveDir: process.cwd(), loader: "ts" as const } } : { entryPoints: [entry] }),
    bundle: true,
    minify: true,
    write: false,
    format: "esm",
    platform: "browser",
    external,
    logLevel: "silent",
  });
  const [output] = result.outputFiles;
  return output ? gzipSync(output.contents, { level: 9 }).length : 0;
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(2)} kB`;
console.log("entry".padEnd(30), "own code".padStart(10), "with deps".padStart(10), "+".padStart(10));
const pushClientAlone = await gzippedSize(entries["{ PushClient }"], ["@xmpp/*", "idb"]);
for (const [name, entry] of Object.entries(entries)) {
  const own = await gzippedSize(entry, ["@xmpp/*", "idb"]);
  const total = await gzippedSize(entry, []);
  const added = name.startsWith("{ PushClient, ") ? kb(own - pushClientAlone) : "";
  console.log(name.padEnd(30), kb(own).padStart(10), kb(total).padStart(10), added.padStart(10));
}

// Rollup does not minify (the config has no terser plugin): its output goes through esbuild's minifier.
console.log(`\n${"tiny app".padEnd(16)} ${"app".padStart(10)} ${"sw".padStart(10)}`);
for (const bundler of BUNDLERS) {
  const app = await buildApp(bundler);
  try {
    const size = async (file: string): Promise<number> => {
      const code = await readFile(join(app.dist, file), "utf8");
      const minified = bundler.name === "rollup" ? (await transform(code, { minify: true, ...(file === app.sw ? {} : { format: "esm" as const }) })).code : code;
      return gzipSync(minified, { level: 9 }).length;
    };
    console.log(bundler.name.padEnd(16), kb(await size(app.app)).padStart(10), kb(await size(app.sw)).padStart(10));
  } finally {
    await app.project.remove();
  }
}
