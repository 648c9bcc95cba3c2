import type { FieldValue } from "./forms.js";
import { NS_DATA_FORMS } from "./namespaces.js";
import { type Element, xml } from "./xml.js";

/**
 * A `submit` form of plain values, FORM_TYPE first: the same element `buildForm(formFromValues("submit", …))`
 * gives, without the general builder (what a client sends is only ever fields with values).
 */
export function buildSubmitForm(values: Readonly<Record<string, FieldValue | undefined>>, formType?: string): Element {
  const x = xml("x", { xmlns: NS_DATA_FORMS, type: "submit" });
  if (formType !== undefined) x.append(field("FORM_TYPE", [formType], "hidden"));
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined) x.append(field(name, typeof value === "object" ? value : [typeof value === "boolean" ? (value ? "1" : "0") : String(value)]));
  }
  return x;
}

function field(name: string, values: readonly string[], type?: string): Element {
  return xml("field", { var: name, type }, ...values.map((value) => xml("value", {}, value)));
}
