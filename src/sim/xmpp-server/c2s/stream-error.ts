import { type Element, xml } from "../../../protocol/index.js";

export const NS_STREAM = "http://etherx.jabber.org/streams";
export const NS_STREAM_ERRORS = "urn:ietf:params:xml:ns:xmpp-streams";
/** XEP-0182 application-specific conditions such as `<stanza-too-big/>`. */
export const NS_XMPP_ERRORS = "urn:xmpp:errors";

/** RFC 6120 §4.9.3 stream error conditions. */
export type StreamErrorCondition =
  | "bad-format"
  | "bad-namespace-prefix"
  | "conflict"
  | "connection-timeout"
  | "host-gone"
  | "host-unknown"
  | "improper-addressing"
  | "internal-server-error"
  | "invalid-from"
  | "invalid-namespace"
  | "invalid-xml"
  | "not-authorized"
  | "not-well-formed"
  | "policy-violation"
  | "remote-connection-failed"
  | "reset"
  | "resource-constraint"
  | "restricted-xml"
  | "see-other-host"
  | "system-shutdown"
  | "undefined-condition"
  | "unsupported-encoding"
  | "unsupported-feature"
  | "unsupported-stanza-type"
  | "unsupported-version";

/** Why a stream ends: the condition, a human-readable text and an optional application-specific element. */
export class StreamError extends Error {
  override readonly name = "StreamError";

  constructor(
    readonly condition: StreamErrorCondition,
    readonly text?: string,
    readonly application?: Element,
  ) {
    super(text ?? condition);
  }
}

/** `<stream:error>` for an RFC 6120 stream or an RFC 7395 framed one alike. */
export function buildStreamError(error: StreamError): Element {
  const element = xml("stream:error", { "xmlns:stream": NS_STREAM }, xml(error.condition, { xmlns: NS_STREAM_ERRORS }));
  if (error.text) element.append(xml("text", { xmlns: NS_STREAM_ERRORS }, error.text));
  if (error.application) element.append(error.application);
  return element;
}
