/**
 * Build-time helpers for apps that bundle `@xmpp/client` for browsers: one plugin per bundler
 * (see xmpp-resolve-dns.ts for what it fixes). Node-side only; nothing here reaches a bundle.
 */
export { webpackPlugin, type WebpackPluginLike, type WebpackCompilerLike, type WebpackModuleFactoryLike } from "./webpack.js";
export { esbuildPlugin, type EsbuildPluginLike, type EsbuildBuildLike } from "./esbuild.js";
export { rollupPlugin, vitePlugin, type RollupPluginLike, type RollupContextLike, type VitePluginLike } from "./rollup.js";
