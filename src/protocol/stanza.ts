import { type Element, xml } from "./xml.js";

export type IqType = "get" | "set" | "result" | "error";

export interface IqAttributes {
  type: IqType;
  to?: string;
  from?: string;
  id?: string;
}

/** `<iq>` around one payload. */
export function buildIq(attributes: IqAttributes, payload?: Element): Element {
  const iq = xml("iq", { ...attributes });
  if (payload) iq.append(payload);
  return iq;
}

/** The single payload child of an IQ request (RFC 6120 §8.2.3: exactly one). */
export function iqPayload(iq: Element): Element | undefined {
  const children = iq.getChildElements();
  return children.length === 1 ? children[0] : undefined;
}
