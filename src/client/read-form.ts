import type { DataForm, Element, FieldType, FormField, FormType } from "../protocol/index.js";

/**
 * What the client reads of a peer's data form: its type, FORM_TYPE, fields (var, type, label,
 * values) and item rows. The client only reads the answers it asked for, so it does not judge
 * them; the simulators judge every form with the strict XEP-0004 parser (protocol/forms.ts).
 */
export function readForm(x: Element): DataForm {
  const form: DataForm = { type: (x.attrs.type ?? "result") as FormType, fields: [] };
  const items: FormField[][] = [];
  for (const child of x.getChildElements()) {
    if (child.name === "item") items.push(child.getChildren("field").map(readField));
    if (child.name !== "field") continue;
    const field = readField(child);
    if (field.var !== "FORM_TYPE") form.fields.push(field);
    else if (form.formType === undefined) form.formType = field.values[0];
  }
  if (items.length > 0) form.items = items;
  return form;
}

function readField(el: Element): FormField {
  const field: FormField = { values: el.getChildren("value").map((value) => value.text()) };
  const { var: name, type, label } = el.attrs as Record<string, string | undefined>;
  if (name) field.var = name;
  if (type) field.type = type as FieldType;
  if (label) field.label = label;
  return field;
}
