/**
 * Build-time helpers for apps that bundle `@xmpp/client` for browsers: one plugin per bundler
 * (xmpp-resolve-dns.ts and events-package.ts say what they fix). Node-side only; nothing here
 * reaches a bundle.
 */
export { webpackPlugin, type WebpackPluginLike } from "./webpack.js";
export { esbuildPlugin, type EsbuildPluginLike } from "./esbuild.js";
export { rollupPlugin, vitePlugin, type RollupPluginLike, type VitePluginLike } from "./rollup.js";
export {
  metroPlugin,
  type MetroConfigLike,
  type MetroResolution,
  type MetroResolutionContextLike,
  type MetroResolveRequest,
} from "./metro.js";
