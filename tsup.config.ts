import { defineConfig } from "tsup";

// ESM only: one copy of every class whatever the consumer uses (Node ≥ 20.19 loads ESM with
// require(), bundlers resolve the same files for import and require).
export default defineConfig([
  {
    entry: {
      index: "src/index.ts",
      "sim/index": "src/sim/index.ts",
      "idb/index": "src/idb/index.ts",
      "web/index": "src/web/index.ts",
      "sw/index": "src/sw/index.ts",
      "sim/node/index": "src/node/index.ts",
    },
    format: ["esm"],
    target: "es2022",
    dts: true,
    // No source maps in the package: without the sources they would point at nothing, with them
    // they weighed ~1 MB. The code is unminified ES2022, readable as it is.
    // Every dependency stays an import (so an app bundles one copy of @xmpp/* with its own
    // client); "node" only lets sim/node's built-in imports through.
    platform: "node",
    clean: true,
    external: [/^@xmpp\//, "idb", "ws", "web-push", "saxes"],
  },
  {
    // The xmpp-push-sim command (package.json "bin"): one runnable ESM file; dependencies stay imports.
    entry: { "bin/xmpp-push-sim": "src/node/cli/main.ts" },
    format: ["esm"],
    platform: "node",
    target: "node20",
    banner: { js: "#!/usr/bin/env node" },
    external: [/^@xmpp\//, "idb", "ws", "web-push", "saxes"],
  },
]);
