import { buildStanzaError, type Element, randomHex, xml } from "../../../../protocol/index.js";
import type { ClientSession, ServerModule } from "../../module.js";
import { NS_BIND2 } from "./namespaces.js";

/** How many (account, user-agent id) suffixes are kept; past that the oldest is forgotten. */
const MAX_CLIENTS = 10_000;

/**
 * XEP-0386 Bind 2 (Prosody's mod_sasl2_bind2): a `<bind/>` inside SASL2's `<authenticate/>`
 * binds a resource the server picks — `<tag>/<suffix>` (XEP-0386 §3.2.1's recommended form;
 * Prosody writes `<tag>~<suffix>`), the suffix stable for the same account and XEP-0388
 * `<user-agent id/>`, which it never shows — and answers with `<bound/>` in the success. Other modules
 * offer inline features through `advertise-bind-features` and act on them in
 * `enable-bind-features` (XEP-0198's `<enable/>` is one).
 */
export function bind2Module(): ServerModule {
  return {
    name: "bind2",
    load(host) {
      const requests = new WeakMap<ClientSession, Element>();
      /** The resource suffix of each (account, user-agent id): a login from the same client gets the same resource back. */
      const suffixes = new Map<string, string>();

      host.hook("advertise-sasl-features", ({ session, features }) => {
        const inline = xml("inline");
        host.fire("advertise-bind-features", { session, features: inline });
        features.append(xml("bind", { xmlns: NS_BIND2 }, inline));
      });

      host.hook("sasl2/authenticate", ({ session, authenticate }) => {
        const request = authenticate.getChild("bind", NS_BIND2);
        if (request) requests.set(session, request);
        else requests.delete(session);
      });

      host.hook("sasl2/c2s/success", ({ session, authenticate, success }) => {
        const request = requests.get(session);
        requests.delete(session);
        const account = session.account;
        if (!request || !account || session.bound) return;
        const tag = request.getChildText("tag")?.trim();
        const clientId = authenticate.getChild("user-agent")?.attrs.id;
        const resource = tag ? `${tag}/${suffixFor(suffixes, account, clientId)}` : undefined;
        if (session.bindResource(resource) === undefined) {
          // Prosody answers a bind that fails inside the success with <failed/> and the error; the session stays authenticated.
          success.append(xml("failed", { xmlns: NS_BIND2 }, buildStanzaError("modify", "bad-request", { text: "the tag makes no valid resource" })));
          return;
        }
        const bound = xml("bound", { xmlns: NS_BIND2 });
        host.fire("enable-bind-features", { session, request, result: bound });
        success.append(bound);
      });
    },
  };
}

function suffixFor(suffixes: Map<string, string>, account: string, clientId: unknown): string {
  if (typeof clientId !== "string" || clientId === "") return randomHex(6);
  const key = `${account}\0${clientId}`;
  let suffix = suffixes.get(key);
  if (suffix === undefined) {
    suffix = randomHex(6);
    if (suffixes.size >= MAX_CLIENTS) suffixes.delete(suffixes.keys().next().value ?? "");
    suffixes.set(key, suffix);
  }
  return suffix;
}
