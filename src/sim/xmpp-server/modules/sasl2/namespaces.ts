/** XEP-0388 Extensible SASL Profile. */
export const NS_SASL2 = "urn:xmpp:sasl:2";
/** XEP-0386 Bind 2. */
export const NS_BIND2 = "urn:xmpp:bind:0";
/** RFC 6120 §6.5: XEP-0388's failures carry these conditions. */
export const NS_SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
