import { cloneElement, type Element, NS, xml } from "../protocol/index.js";

const NS_SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
const NS_SASL2 = "urn:xmpp:sasl:2";
const NS_FAST = "urn:xmpp:fast:0";
const NS_COMPONENT = "jabber:component:accept";

/** Elements whose whole content is a credential (the SASL exchanges, XEP-0114's handshake). */
const SECRET_CONTENT: ReadonlyArray<readonly [name: string, ns: string]> = [
  ["handshake", NS_COMPONENT],
  ["auth", NS_SASL],
  ["challenge", NS_SASL],
  ["response", NS_SASL],
  ["success", NS_SASL],
  ["challenge", NS_SASL2],
  ["response", NS_SASL2],
];

/** Data-form fields that hold a credential: XEP-0357's node secret, in `<enable/>`, publishes and app-server replies. */
const SECRET_FIELDS = new Set(["secret"]);

/**
 * A copy of `element` fit for a log: credentials replaced by `<hidden/>` (the same elements
 * @xmpp/debug hides, plus push secrets). The element itself is left untouched.
 */
export function hideSecrets(element: Element): Element {
  const copy = cloneElement(element);
  // The copy has no parent, so take the namespace from the original: a component's <handshake/> inherits it from the stream.
  const ns = element.getNS();
  if (SECRET_CONTENT.some(([name, secretNs]) => element.name === name && ns === secretNs)) {
    if (copy.children.length > 0) hide(copy);
  } else if (ns === NS_SASL2) {
    hide(copy.getChild("initial-response"));
    hide(copy.getChild("additional-data"));
    const token = copy.getChild("token", NS_FAST);
    if (token?.attrs.token) token.attrs.token = "hidden";
  }
  hideSecretFields(copy);
  return copy;
}

function hideSecretFields(element: Element): void {
  for (const child of element.getChildElements()) {
    if (child.is("field", NS.dataForms) && SECRET_FIELDS.has(child.attrs.var)) {
      for (const value of child.getChildren("value")) hide(value);
    } else {
      hideSecretFields(child);
    }
  }
}

function hide(element: Element | undefined): void {
  if (!element) return;
  element.children = [];
  element.cnode(xml("hidden", { xmlns: "urn:xmpp-push:trace" }));
}
