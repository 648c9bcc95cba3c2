import { build } from "esbuild";
import { esbuildPlugin } from "xmpp-push/bundler";

await build({ entryPoints: ["src/app.js"], bundle: true, format: "esm", minify: true, outdir: "dist", plugins: [esbuildPlugin()] });
await build({ entryPoints: ["src/sw.js"], bundle: true, format: "iife", minify: true, outdir: "dist" });
