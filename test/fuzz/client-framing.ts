import { DOMAIN } from "./fuzz-server.js";
import type { Framing } from "./recording-link.js";

export const FRAMINGS: readonly Framing[] = ["rfc7395", "rfc6120"];

const NS_FRAMING = "urn:ietf:params:xml:ns:xmpp-framing";

/** What a client sends to open (or, after SASL, restart) its stream. */
export function clientHeader(framing: Framing, xmlDeclaration = true): string {
  if (framing === "rfc7395") return `<open xmlns='${NS_FRAMING}' to='${DOMAIN}' version='1.0'/>`;
  const declaration = xmlDeclaration ? "<?xml version='1.0'?>" : "";
  return `${declaration}<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='${DOMAIN}' version='1.0'>`;
}

export function clientFooter(framing: Framing): string {
  return framing === "rfc7395" ? `<close xmlns='${NS_FRAMING}'/>` : "</stream:stream>";
}
