import {
  buildDiscoInfo,
  buildDiscoItems,
  buildResultReply,
  type Element,
  errorReplyFor,
  iqPayload,
  NS,
  PushError,
} from "../../protocol/index.js";

/** IQs addressed to the server's domain: disco (listing attached components as items) and ping. */
export function handleDomainIq(iq: Element, components: readonly string[]): Element {
  const payload = iqPayload(iq);
  try {
    if (!payload) throw new PushError("bad-request", "an IQ request carries exactly one payload");
    if (iq.attrs.type === "get" && payload.is("query", NS.discoInfo) && !payload.attrs.node) {
      return buildResultReply(
        iq,
        buildDiscoInfo({ identities: [{ category: "server", type: "im", name: "xmpp-push reference server" }], features: [NS.discoInfo, NS.discoItems, NS.ping], forms: [] }),
      );
    }
    if (iq.attrs.type === "get" && payload.is("query", NS.discoItems) && !payload.attrs.node) {
      return buildResultReply(iq, buildDiscoItems({ items: components.map((jid) => ({ jid })) }));
    }
    if (iq.attrs.type === "get" && payload.is("ping", NS.ping)) return buildResultReply(iq);
    throw new PushError("service-unavailable");
  } catch (error) {
    return errorReplyFor(iq, error);
  }
}
