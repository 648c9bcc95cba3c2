import { defineConfig, type Options } from "tsup";

const shared: Options = {
  entry: {
    index: "src/index.ts",
    "sim/index": "src/sim/index.ts",
  },
  sourcemap: true,
  target: "es2022",
  platform: "neutral",
};

export default defineConfig([
  {
    ...shared,
    format: ["esm"],
    dts: true,
    clean: true,
    // ESM keeps @xmpp/* as imports, so an app bundles one copy of them with its own client.
    external: [/^@xmpp\//],
  },
  {
    ...shared,
    format: ["cjs"],
    dts: true,
    // @xmpp/* is ESM-only with default exports that esbuild's CommonJS interop reads wrongly
    // through require(esm); bundling it makes the CommonJS build self-contained.
    noExternal: [/^@xmpp\//],
    platform: "node",
  },
]);
