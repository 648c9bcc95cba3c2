import { createRequire } from "node:module";
import { PushError } from "../protocol/index.js";

/**
 * `ws`, `web-push` and `@xmpp/component` are optional peer dependencies: an app that only uses
 * the SDK and the browser entries never installs them. They load on first use, so importing
 * `xmpp-push/sim/node` works without them and the first call that needs one says what to install.
 */
export interface OptionalPeers {
  ws: typeof import("ws");
  "web-push": typeof import("web-push");
  "@xmpp/component": typeof import("@xmpp/component");
}

const require = createRequire(import.meta.url);
const loaded = new Map<keyof OptionalPeers, unknown>();

/** Loads an optional peer, or throws `PushError('not-supported')` naming the package to install. */
export function optionalPeer<Name extends keyof OptionalPeers>(name: Name, neededBy: string): OptionalPeers[Name] {
  if (!loaded.has(name)) {
    try {
      loaded.set(name, require(name));
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code !== "MODULE_NOT_FOUND" && code !== "ERR_MODULE_NOT_FOUND") throw error;
      throw new PushError("not-supported", `${neededBy} needs the package "${name}", an optional peer dependency of xmpp-push: npm install ${name}`);
    }
  }
  return loaded.get(name) as OptionalPeers[Name];
}
