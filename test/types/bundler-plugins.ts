/**
 * Type-only check (`npm run typecheck`): the plugins of xmpp-push/bundler are typed structurally,
 * so that installing xmpp-push needs no bundler's types; here each is given to the bundler's own
 * config type, so a mismatch with the real interfaces fails the typecheck.
 */
import type { Plugin as EsbuildPlugin } from "esbuild";
import type { Plugin as RollupPlugin } from "rollup";
import type { PluginOption as VitePluginOption } from "vite";
import type { Configuration as WebpackConfiguration } from "webpack";
import { esbuildPlugin, rollupPlugin, vitePlugin, webpackPlugin } from "xmpp-push/bundler";

export const webpackConfig: WebpackConfiguration = { plugins: [webpackPlugin()] };
export const esbuild: EsbuildPlugin = esbuildPlugin();
export const rollup: RollupPlugin = rollupPlugin();
export const vite: VitePluginOption = vitePlugin();
