import commonjs from "@rollup/plugin-commonjs";
import { nodeResolve } from "@rollup/plugin-node-resolve";
import { rollupPlugin } from "xmpp-push/bundler";

const plugins = [rollupPlugin(), nodeResolve({ browser: true }), commonjs()];

export default [
  { input: "src/app.js", output: { dir: "dist", format: "es" }, plugins },
  { input: "src/sw.js", output: { dir: "dist", format: "iife" }, plugins },
];
