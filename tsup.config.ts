import { defineConfig, type Options } from "tsup";

const browserEntries = {
  index: "src/index.ts",
  "sim/index": "src/sim/index.ts",
  "idb/index": "src/idb/index.ts",
  "web/index": "src/web/index.ts",
  "sw/index": "src/sw/index.ts",
};

const shared: Options = {
  sourcemap: true,
  target: "es2022",
  dts: true,
};

export default defineConfig([
  {
    ...shared,
    entry: { ...browserEntries, "sim/node/index": "src/node/index.ts" },
    format: ["esm"],
    // Every dependency stays an import (so an app bundles one copy of @xmpp/* with its own
    // client); "node" only lets sim/node's built-in imports through.
    platform: "node",
    clean: true,
    external: [/^@xmpp\//, "idb", "ws", "web-push"],
  },
  {
    ...shared,
    entry: { ...browserEntries, "sim/node/index": "src/node/index.ts" },
    format: ["cjs"],
    platform: "node",
    // One copy of shared modules across the CommonJS entries too.
    splitting: true,
    // @xmpp/* is ESM-only with default exports that esbuild's CommonJS interop reads wrongly
    // through require(esm); bundling it makes the CommonJS build self-contained.
    noExternal: [/^@xmpp\//],
    external: ["ws", "web-push", "idb"],
  },
  {
    // The xmpp-push-sim command (package.json "bin"): one runnable ESM file; dependencies stay imports.
    entry: { "bin/xmpp-push-sim": "src/node/cli/main.ts" },
    format: ["esm"],
    platform: "node",
    target: "node20",
    sourcemap: true,
    banner: { js: "#!/usr/bin/env node" },
    external: [/^@xmpp\//, "idb", "ws", "web-push"],
  },
]);
