import { xml } from "@xmpp/client";
import { type Element, NS } from "../../src/protocol/index.js";

/** Spelled out rather than taken from the SDK, so a wrong constant there cannot hide a server bug. */
const PUBLISH_OPTIONS = "http://jabber.org/protocol/pubsub#publish-options";

/** A raw XEP-0357 enable IQ; `undefined` leaves an attribute out, so tests can send what the SDK would refuse to build. */
export function enable(jid: string | undefined, node: string | undefined, ...children: Element[]): Element {
  return xml("iq", { type: "set" }, xml("enable", { xmlns: NS.push, jid, node }, ...children));
}

/** A raw XEP-0357 disable IQ, for one node or (without `node`) every node at `jid`. */
export function disable(jid: string, node?: string): Element {
  return xml("iq", { type: "set" }, xml("disable", { xmlns: NS.push, jid, node }));
}

/** The publish-options form an enable carries; `type` and `formType` let a test send the malformed ones servers meet. */
export function publishOptionsForm(secret: string, type = "submit", formType = PUBLISH_OPTIONS): Element {
  return xml(
    "x",
    { xmlns: NS.dataForms, type },
    xml("field", { var: "FORM_TYPE", type: "hidden" }, xml("value", {}, formType)),
    xml("field", { var: "secret" }, xml("value", {}, secret)),
  );
}
