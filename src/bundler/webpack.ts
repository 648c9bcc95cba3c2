import { eventsPackageFile, isXmppEventsImport } from "./events-package.js";
import { isXmppResolveDns, NO_DNS_MODULE } from "./xmpp-resolve-dns.js";

const NAME = "xmpp-push";

/** The part of webpack 5's `Compiler` the plugin uses (typed here so that installing xmpp-push needs no webpack types). */
export interface WebpackCompilerLike {
  hooks: {
    normalModuleFactory: {
      tap(name: string, callback: (factory: WebpackModuleFactoryLike) => void): void;
    };
  };
}

export interface WebpackModuleFactoryLike {
  hooks: {
    beforeResolve: {
      tap(name: string, callback: (data: { request: string; context: string }) => void): void;
    };
  };
}

export interface WebpackPluginLike {
  apply(compiler: WebpackCompilerLike): void;
}

/**
 * webpack 5: `plugins: [webpackPlugin()]`. Replaces @xmpp/resolve's DNS module with a `data:`
 * module (webpack 5 reads `data:` URIs with no loader), before webpack tries to read `node:dns`,
 * and points the `events` imports of @xmpp/* and ltx at the npm package.
 */
export function webpackPlugin(): WebpackPluginLike {
  return {
    apply(compiler) {
      compiler.hooks.normalModuleFactory.tap(NAME, (factory) => {
        factory.hooks.beforeResolve.tap(NAME, (data) => {
          if (isXmppResolveDns(data.request, data.context)) data.request = `data:text/javascript,${encodeURIComponent(NO_DNS_MODULE)}`;
          else if (isXmppEventsImport(data.request, data.context)) data.request = eventsPackageFile();
        });
      });
    },
  };
}
