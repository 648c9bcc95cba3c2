import { eventsPackageFile, isXmppEventsImport } from "./events-package.js";
import { isXmppResolveDns, NO_DNS_MODULE } from "./xmpp-resolve-dns.js";

const NAMESPACE = "xmpp-push-no-dns";

/** The part of esbuild's `PluginBuild` the plugin uses (typed here so that installing xmpp-push needs no esbuild types). */
export interface EsbuildBuildLike {
  onResolve(
    options: { filter: RegExp },
    callback: (args: { path: string; importer: string }) => { path: string; namespace?: string } | undefined,
  ): void;
  onLoad(options: { filter: RegExp; namespace: string }, callback: () => { contents: string; loader: "js" }): void;
}

export interface EsbuildPluginLike {
  name: string;
  setup(build: EsbuildBuildLike): void;
}

/** esbuild: `plugins: [esbuildPlugin()]`: @xmpp/resolve's DNS module becomes an empty one; the `events` imports of @xmpp/* and ltx go to the npm package. */
export function esbuildPlugin(): EsbuildPluginLike {
  return {
    name: "xmpp-push",
    setup(build) {
      build.onResolve({ filter: /^\.\/lib\/dns(\.js)?$/ }, (args) =>
        isXmppResolveDns(args.path, args.importer) ? { path: "dns", namespace: NAMESPACE } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, () => ({ contents: NO_DNS_MODULE, loader: "js" }));
      build.onResolve({ filter: /^events$/ }, (args) => (isXmppEventsImport(args.path, args.importer) ? { path: eventsPackageFile() } : undefined));
    },
  };
}
