import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    "sim/index": "src/sim/index.ts",
  },
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  platform: "neutral",
  // Dependencies stay imports so that apps bundle one copy of @xmpp/* with their own client.
  external: [/^@xmpp\//],
});
