import {
  bareJid,
  buildDiscoInfo,
  buildDiscoItems,
  buildResultReply,
  type Element,
  errorReplyFor,
  iqPayload,
  NS,
  parseDisable,
  parseEnable,
  PushError,
  xml,
} from "../../protocol/index.js";
import type { PushRegistration, PushRegistry } from "./push-registry.js";

export interface AccountIqContext {
  readonly registry: PushRegistry;
  /** How a disable that matched nothing is answered (ejabberd: item-not-found). */
  readonly disableUnknown: "result" | "item-not-found";
  now(): number;
  enabled(registration: PushRegistration): void;
  disabled(registration: PushRegistration): void;
}

/**
 * IQs a user sends to their own bare JID (or with no `to`): disco#info advertising
 * `urn:xmpp:push:0` (S1), XEP-0357 enable/disable, ping, an empty roster.
 */
export function handleAccountIq(context: AccountIqContext, iq: Element, account: string): Element {
  const payload = iqPayload(iq);
  const type = iq.attrs.type;
  try {
    if (!payload) throw new PushError("bad-request", "an IQ request carries exactly one payload");
    if (payload.is("query", NS.discoInfo) && type === "get" && !payload.attrs.node) {
      return buildResultReply(
        iq,
        buildDiscoInfo({
          identities: [{ category: "account", type: "registered" }],
          features: [NS.discoInfo, NS.discoItems, NS.push],
          forms: [],
        }),
      );
    }
    if (payload.is("query", NS.discoItems) && type === "get") return buildResultReply(iq, buildDiscoItems({ items: [] }));
    if (payload.is("ping", NS.ping) && type === "get") return buildResultReply(iq);
    if (payload.is("query", "jabber:iq:roster") && type === "get") return buildResultReply(iq, xml("query", { xmlns: "jabber:iq:roster" }));
    if (payload.is("enable", NS.push) || payload.is("disable", NS.push)) {
      if (type !== "set") throw new PushError("not-allowed", `XEP-0357 ${payload.name} must be an IQ set`);
      return handlePush(context, payload, account, iq);
    }
    throw new PushError("service-unavailable");
  } catch (error) {
    return errorReplyFor(iq, error);
  }
}

function handlePush(context: AccountIqContext, payload: Element, account: string, iq: Element): Element {
  if (payload.name === "enable") {
    const enable = parseEnable(payload);
    // S2: a node is required (ejabberd refuses enable without one too).
    if (!enable.node) throw new PushError("bad-request", "enable without node");
    if (bareJid(enable.jid) === account) throw new PushError("bad-request", "the push service JID must not be your own");
    const registration = context.registry.enable(account, enable.jid, enable.node, enable.publishOptions, context.now());
    context.enabled(registration);
  } else {
    const disable = parseDisable(payload);
    const removed = context.registry.disable(account, disable.jid, disable.node);
    if (removed.length === 0 && context.disableUnknown === "item-not-found") throw new PushError("item-not-found", "Push record not found");
    for (const registration of removed) context.disabled(registration);
  }
  return buildResultReply(iq);
}
