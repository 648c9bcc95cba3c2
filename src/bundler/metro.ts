import { eventsPackageFile, isXmppEventsImport } from "./events-package.js";
import { isXmppResolveDns } from "./xmpp-resolve-dns.js";

/** What Metro's `resolveRequest` returns (typed here so that installing xmpp-push needs no Metro types). */
export type MetroResolution = { type: "empty" } | { type: "sourceFile"; filePath: string } | { readonly type: string };

export interface MetroResolutionContextLike {
  readonly originModulePath: string;
  resolveRequest: MetroResolveRequest;
}

export type MetroResolveRequest = (context: MetroResolutionContextLike, moduleName: string, platform: string | null) => MetroResolution;

/** The part of a Metro config the plugin touches. */
export interface MetroConfigLike {
  resolver?: { resolveRequest?: MetroResolveRequest | null; [option: string]: unknown };
  [option: string]: unknown;
}

/**
 * Metro (React Native): `module.exports = metroPlugin(config)`. @xmpp/resolve's DNS module
 * resolves to an empty module (React Native connects over `wss://`, no DNS); the `events`
 * imports of @xmpp/* and ltx go to the npm package. Any `resolveRequest` already in the
 * config still decides everything else.
 */
export function metroPlugin<Config extends MetroConfigLike>(config: Config): Config {
  const next = config.resolver?.resolveRequest;
  const resolveRequest: MetroResolveRequest = (context, moduleName, platform) => {
    if (isXmppResolveDns(moduleName, context.originModulePath)) return { type: "empty" };
    if (isXmppEventsImport(moduleName, context.originModulePath)) return { type: "sourceFile", filePath: eventsPackageFile() };
    return (next ?? context.resolveRequest)(context, moduleName, platform);
  };
  return { ...config, resolver: { ...config.resolver, resolveRequest } };
}
