import { type Element, xml } from "../../../../protocol/index.js";
import type { SaslOutcome } from "../../c2s/sasl.js";
import type { ClientSession, ModuleHost, ServerModule } from "../../module.js";
import { NS_SASL, NS_SASL2 } from "./namespaces.js";

/**
 * XEP-0388 Extensible SASL Profile (Prosody's mod_sasl2): the core's mechanisms in
 * `<authenticate/>`, `<challenge/>`/`<response/>`, `<success/>` or `<failure/>`, with no stream
 * restart. Other modules add inline requests and results through `advertise-sasl-features`,
 * `sasl2/authenticate` and `sasl2/c2s/success` (Bind2 is one: ./bind2.ts).
 */
export function sasl2Module(): ServerModule {
  return {
    name: "sasl2",
    load(host) {
      host.hook("stream-features", ({ session, features, phase }) => {
        const sasl = session.sasl;
        if (phase !== "connected" || !sasl) return;
        const inline = xml("inline");
        host.fire("advertise-sasl-features", { session, features: inline });
        features.append(xml("authentication", { xmlns: NS_SASL2 }, ...sasl.mechanisms.map((name) => xml("mechanism", {}, name)), inline));
      });

      host.hook(`stanza/${NS_SASL2}:authenticate`, ({ session, element }) => {
        const sasl = session.sasl;
        if (!sasl) return refuseAfterAuthentication(session);
        if (sasl.expectsResponse) {
          // XEP-0388 §2.5: while authenticating, only a response or an abort.
          session.streamError("policy-violation", "an authentication is already in progress");
          return true;
        }
        host.fire("sasl2/authenticate", { session, authenticate: element });
        const initialResponse = element.getChild("initial-response")?.text() ?? "";
        sasl.start(element.attrs.mechanism, initialResponse, (outcome) => answer(host, session, element, outcome));
        return true;
      });

      host.hook(`stanza/${NS_SASL2}:response`, ({ session, element }) => {
        const sasl = session.sasl;
        if (!sasl) return refuseAfterAuthentication(session);
        const authenticate = pending.get(session);
        if (!sasl.expectsResponse || !authenticate) {
          session.streamError("not-authorized", "no authentication waits for a response");
          return true;
        }
        sasl.respond(element.text(), (outcome) => answer(host, session, authenticate, outcome));
        return true;
      });

      host.hook(`stanza/${NS_SASL2}:abort`, ({ session, element }) => {
        const sasl = session.sasl;
        if (!sasl) return refuseAfterAuthentication(session);
        sasl.abort((outcome) => answer(host, session, pending.get(session) ?? element, outcome));
        return true;
      });
    },
  };
}

/** The `<authenticate/>` of an exchange waiting for a response, for the success that ends it. */
const pending = new WeakMap<ClientSession, Element>();

function answer(host: ModuleHost, session: ClientSession, authenticate: Element, outcome: SaslOutcome): void {
  pending.delete(session);
  switch (outcome.kind) {
    case "challenge":
      pending.set(session, authenticate);
      session.write(xml("challenge", { xmlns: NS_SASL2 }, outcome.data));
      return;
    case "failure":
      session.write(xml("failure", { xmlns: NS_SASL2 }, xml(outcome.condition, { xmlns: NS_SASL })));
      return;
    default: {
      const success = xml("success", { xmlns: NS_SASL2 });
      host.fire("sasl2/c2s/success", { session, authenticate, success });
      // XEP-0388 §2.6.1: the full JID when a resource was bound inline, else the bare one.
      const identifier = xml("authorization-identifier", {}, session.jid ?? session.account ?? "");
      success.children.unshift(...(outcome.additionalData === undefined ? [] : [xml("additional-data", {}, outcome.additionalData)]), identifier);
      session.write(success);
    }
  }
}

function refuseAfterAuthentication(session: ClientSession): true {
  session.streamError("policy-violation", "already authenticated");
  return true;
}
