import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { defineConfig } from "tsup";

const entries = {
  index: "src/index.ts",
  "sim/index": "src/sim/index.ts",
  "idb/index": "src/idb/index.ts",
  "web/index": "src/web/index.ts",
  "sw/index": "src/sw/index.ts",
  "async-storage/index": "src/async-storage/index.ts",
  "sim/node/index": "src/node/index.ts",
  "bundler/index": "src/bundler/index.ts",
};
const external = [/^@xmpp\//, "idb", "ws", "web-push", "saxes"];

/**
 * The CommonJS face of each entry: a one-line file that loads the ESM build with require(esm)
 * (Node ≥ 20.19; bundlers do the same), so `require` and `import` share one copy of every class.
 * Its types (.d.cts, from tsup) import `@xmpp/xml`, an ESM-only package: TypeScript's node16
 * CommonJS mode accepts that only as a type-only import marked `resolution-mode: import`.
 */
export async function writeCommonJsFaces(): Promise<void> {
  for (const name of Object.keys(entries)) {
    const file = name.split("/").pop();
    await writeFile(`dist/${name}.cjs`, `"use strict";\nmodule.exports = require("./${file}.js");\n`);
  }
  for (const path of await typesFor("dist", ".d.cts")) {
    const text = await readFile(path, "utf8");
    const typeOnly = text.replace(/^(import|export) \{ ([^}]*) \} from '(@[^'./][^']*|[^'./][^']*)';$/gm, `$1 type { $2 } from '$3' with { "resolution-mode": "import" };`);
    if (typeOnly !== text) await writeFile(path, typeOnly);
  }
}

async function typesFor(folder: string, suffix: string): Promise<string[]> {
  const files = await readdir(folder, { withFileTypes: true, recursive: true });
  return files.filter((entry) => entry.isFile() && entry.name.endsWith(suffix)).map((entry) => join(entry.parentPath, entry.name));
}

// The build script's second step (`tsx tsup.config.ts`), once tsup has written every file.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await writeCommonJsFaces();

export default defineConfig([
  {
    entry: entries,
    format: ["esm"],
    target: "es2022",
    dts: true,
    // No source maps in the package: without the sources they would point at nothing, with them
    // they weighed ~1 MB. The code is unminified ES2022, readable as it is.
    // Every dependency stays an import (so an app bundles one copy of @xmpp/* with its own
    // client); "node" only lets sim/node's built-in imports through.
    platform: "node",
    clean: true,
    external,
  },
  {
    // Types for `require` (.d.cts): TypeScript's node16 CommonJS resolution reads these.
    entry: entries,
    format: ["cjs"],
    dts: { only: true },
    external,
  },
  {
    // The xmpp-push-sim command (package.json "bin"): one runnable ESM file; dependencies stay imports.
    entry: { "bin/xmpp-push-sim": "src/node/cli/main.ts" },
    format: ["esm"],
    platform: "node",
    target: "node20",
    banner: { js: "#!/usr/bin/env node" },
    external,
  },
]);
