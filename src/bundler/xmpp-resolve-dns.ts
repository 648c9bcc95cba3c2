/**
 * @xmpp/resolve 0.14 (inside @xmpp/client) imports `node:dns` from `lib/dns.js`, for SRV and
 * A/AAAA lookups of a bare domain. Its package.json `browser` field means to drop that file but
 * names `./lib/dns` and `dns`, while the code imports `./lib/dns.js` and `node:dns`, so bundlers
 * miss it. Every plugin here does what the field meant: `./lib/dns.js`, imported from
 * @xmpp/resolve, becomes a module whose `resolve` is undefined. @xmpp/resolve then skips DNS
 * (`dns.resolve ? … : []`) and still tries XEP-0156 (`lib/http.js`, host-meta over fetch); a
 * `service: "wss://…"` URL never resolves anything. xmpp.js main fixed the field after 0.14.0
 * (xmppjs/xmpp.js#1094, `"./lib/dns.js": false`); with that release the DNS part of the plugins changes nothing.
 */

/** The module that stands in for @xmpp/resolve's `lib/dns.js` in a browser build. */
export const NO_DNS_MODULE = "export const resolve = undefined;\n";

/** A name bundlers keep away from the file system (the `\0` prefix is Rollup's convention for virtual modules). */
export const NO_DNS_ID = "\0xmpp-push:no-dns";

const DNS_SPECIFIER = /^\.\/lib\/dns(\.js)?$/;
const XMPP_RESOLVE_DIR = /[\\/]@xmpp[\\/]resolve([\\/]|$)/;

/**
 * Whether `specifier`, imported from `importer` (a file, or for webpack its folder), is
 * @xmpp/resolve's DNS module. Matches npm, pnpm (`.pnpm/@xmpp+resolve@…/node_modules/@xmpp/resolve`)
 * and Windows paths.
 */
export function isXmppResolveDns(specifier: string, importer: string | undefined): boolean {
  return DNS_SPECIFIER.test(specifier) && importer !== undefined && XMPP_RESOLVE_DIR.test(importer);
}
