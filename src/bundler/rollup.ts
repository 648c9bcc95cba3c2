import { eventsPackageFile, isXmppEventsImport } from "./events-package.js";
import { isXmppResolveDns, NO_DNS_ID, NO_DNS_MODULE } from "./xmpp-resolve-dns.js";

/** The part of Rollup's plugin context the plugin uses. */
export interface RollupContextLike {
  resolve(source: string, importer: string | undefined, options: { skipSelf: boolean }): Promise<{ id: string } | null>;
}

/** A Rollup plugin, as Rollup 4, Rolldown and Vite take it (typed here so that installing xmpp-push needs none of their types). */
export interface RollupPluginLike {
  name: string;
  resolveId: {
    order: "pre";
    handler(this: RollupContextLike, source: string, importer: string | undefined): Promise<{ id: string } | null> | string | null;
  };
  load(id: string): string | null;
}

export interface VitePluginLike extends RollupPluginLike {
  enforce: "pre";
}

/**
 * Rollup: `plugins: [rollupPlugin(), nodeResolve({ browser: true }), commonjs()]`. It resolves
 * first whatever its place in the list (`order: "pre"`). `nodeResolve` alone does match the
 * `browser` field's `./lib/dns` (with a missing-export warning: its empty module has no
 * `resolve`), but prefers Node's built-in `events`, which this plugin routes to the npm package
 * — through the other plugins (`this.resolve`), so that `commonjs` still wraps that CommonJS file.
 */
export function rollupPlugin(): RollupPluginLike {
  return {
    name: "xmpp-push",
    resolveId: {
      order: "pre",
      handler(source, importer) {
        if (isXmppResolveDns(source, importer)) return NO_DNS_ID;
        return isXmppEventsImport(source, importer) ? this.resolve(eventsPackageFile(), importer, { skipSelf: true }) : null;
      },
    },
    load: (id) => (id === NO_DNS_ID ? NO_DNS_MODULE : null),
  };
}

/** Vite (Rollup's plugin interface): `plugins: [vitePlugin()]`. Without it Vite builds too (with npm's hoisting), warning that `node:dns` was externalized. */
export function vitePlugin(): VitePluginLike {
  return { ...rollupPlugin(), enforce: "pre" };
}
