import { createRequire } from "node:module";

/**
 * @xmpp/events and ltx import `events`, which is both an npm package and the name of a Node
 * built-in. ltx 3.1 (under @xmpp/xml) requires it without declaring it: npm's hoisting hides
 * that, but under pnpm with `hoist=false` no bundler finds it; and Rollup's `nodeResolve`
 * prefers the built-in, leaving a bare `events` import in the bundle. The plugins send those
 * imports to the package @xmpp/events declares, found from xmpp-push's own dependency on it.
 */
const USES_EVENTS_PACKAGE = /[\\/]node_modules[\\/](@xmpp[\\/][^\\/]+|ltx)[\\/]/;

/** Whether `specifier`, imported from `importer` (a file, or for webpack its folder), is one of those imports. */
export function isXmppEventsImport(specifier: string, importer: string | undefined): boolean {
  return specifier === "events" && importer !== undefined && USES_EVENTS_PACKAGE.test(importer);
}

let found: string | undefined;

/** The `events` package's main file (`events/` names the package, not the built-in). */
export function eventsPackageFile(): string {
  if (found === undefined) {
    const fromHere = createRequire(import.meta.url);
    found = createRequire(fromHere.resolve("@xmpp/events")).resolve("events/");
  }
  return found;
}
