import { PushError } from "./errors.js";
import { NS } from "./namespaces.js";
import { attr, childrenOf, type Element, xml } from "./xml.js";

/** XEP-0004 form types. */
export type FormType = "form" | "submit" | "cancel" | "result";

/** XEP-0004 §3.3 field types. */
export type FieldType =
  | "boolean"
  | "fixed"
  | "hidden"
  | "jid-multi"
  | "jid-single"
  | "list-multi"
  | "list-single"
  | "text-multi"
  | "text-private"
  | "text-single";

const FORM_TYPES: readonly string[] = ["form", "submit", "cancel", "result"];
const FIELD_TYPES: readonly string[] = [
  "boolean",
  "fixed",
  "hidden",
  "jid-multi",
  "jid-single",
  "list-multi",
  "list-single",
  "text-multi",
  "text-private",
  "text-single",
];

export interface FieldOption {
  label?: string;
  value: string;
}

export interface FormField {
  /** Absent only on `fixed` fields. */
  var?: string;
  type?: FieldType;
  label?: string;
  desc?: string;
  required?: boolean;
  values: string[];
  options?: FieldOption[];
}

/** A parsed XEP-0004 data form. `FORM_TYPE` is lifted out of `fields` into `formType`. */
export interface DataForm {
  type: FormType;
  formType?: string;
  title?: string;
  instructions?: string[];
  fields: FormField[];
  /** Multi-item results (XEP-0004 §3.4): the column headers … */
  reported?: FormField[];
  /** … and one row of fields per item. */
  items?: FormField[][];
}

/** Values a caller may give for a field: booleans serialize as `1`/`0`. */
export type FieldValue = string | number | boolean | readonly string[];

/** Builds `<x xmlns='jabber:x:data'>`. A `formType` becomes the first, hidden FORM_TYPE field. */
export function buildForm(form: DataForm): Element {
  const x = xml("x", { xmlns: NS.dataForms, type: form.type });
  if (form.title) x.append(xml("title", {}, form.title));
  for (const line of form.instructions ?? []) x.append(xml("instructions", {}, line));
  if (form.formType !== undefined) {
    x.append(buildField({ var: "FORM_TYPE", type: "hidden", values: [form.formType] }));
  }
  // XEP-0004 schema order: fields, then reported, then items.
  for (const field of form.fields) x.append(buildField(field));
  if (form.reported) x.append(xml("reported", {}, ...form.reported.map(buildField)));
  for (const item of form.items ?? []) x.append(xml("item", {}, ...item.map(buildField)));
  return x;
}

export function buildField(field: FormField): Element {
  const el = xml("field", {
    var: field.var,
    type: field.type,
    label: field.label,
  });
  if (field.desc) el.append(xml("desc", {}, field.desc));
  if (field.required) el.append(xml("required"));
  for (const value of field.values) el.append(xml("value", {}, value));
  for (const option of field.options ?? []) {
    el.append(xml("option", { label: option.label }, xml("value", {}, option.value)));
  }
  return el;
}

/** A `submit` (or other) form from a record of values, FORM_TYPE first. */
export function formFromValues(
  type: FormType,
  formType: string | undefined,
  values: Readonly<Record<string, FieldValue | undefined>>,
): DataForm {
  const fields: FormField[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    fields.push({ var: name, values: toValues(value) });
  }
  return formType === undefined ? { type, fields } : { type, formType, fields };
}

function toValues(value: FieldValue): string[] {
  if (typeof value === "boolean") return [value ? "1" : "0"];
  if (typeof value === "number") return [String(value)];
  if (typeof value === "string") return [value];
  return [...value];
}

/**
 * Parses `<x xmlns='jabber:x:data'>`. Malformed forms (unknown type, a non-fixed field without
 * `var`, a `var` given twice, an unknown field type) throw `PushError('bad-request')`.
 */
export function parseForm(x: Element): DataForm {
  if (!x.is("x", NS.dataForms)) {
    throw new PushError("bad-request", `expected <x xmlns='${NS.dataForms}'>, got <${x.name}>`, { stanza: x });
  }
  const type = attr(x, "type");
  if (!type || !FORM_TYPES.includes(type)) {
    throw new PushError("bad-request", `data form has an invalid type '${type ?? ""}'`, { stanza: x });
  }
  const form: DataForm = { type: type as FormType, fields: [] };
  // One pass over the children: forms sit on every publish's path, and each childrenOf() was a pass of its own.
  let title: Element | undefined;
  let reported: Element | undefined;
  const instructions: string[] = [];
  const fieldElements: Element[] = [];
  const items: Element[] = [];
  for (const child of x.children) {
    if (typeof child === "string") continue;
    switch (child.getName()) {
      case "field":
        fieldElements.push(child);
        break;
      case "title":
        title ??= child;
        break;
      case "instructions":
        instructions.push(child.text());
        break;
      case "reported":
        reported ??= child;
        break;
      case "item":
        items.push(child);
        break;
    }
  }
  const titleText = title?.text();
  if (titleText) form.title = titleText;
  if (instructions.length) form.instructions = instructions;

  const fields = parseFields(fieldElements, x);
  const formTypeField = fields.find((field) => field.var === "FORM_TYPE");
  if (formTypeField) {
    const [value] = formTypeField.values;
    if (value !== undefined) form.formType = value;
  }
  form.fields = formTypeField ? fields.filter((field) => field !== formTypeField) : fields;

  if (reported) form.reported = parseFields(childrenOf(reported, "field"), x);
  if (items.length) form.items = items.map((item) => parseFields(childrenOf(item, "field"), x));
  return form;
}

function parseFields(elements: Element[], form: Element): FormField[] {
  const seen = new Map<string, FormField>();
  const fields: FormField[] = [];
  for (const el of elements) {
    const field = parseField(el, form);
    const earlier = field.var === undefined ? undefined : seen.get(field.var);
    if (earlier && field.var === "FORM_TYPE" && sameValues(earlier, field)) {
      // StanzaJS 12's enableNotifications() repeats FORM_TYPE; Prosody and ejabberd take that, so do we.
      continue;
    }
    if (earlier) throw new PushError("bad-request", `data form field '${field.var}' appears twice`, { stanza: form });
    if (field.var !== undefined) seen.set(field.var, field);
    fields.push(field);
  }
  return fields;
}

function sameValues(a: FormField, b: FormField): boolean {
  return a.values.length === b.values.length && a.values.every((value, index) => value === b.values[index]);
}

function parseField(el: Element, form: Element): FormField {
  const type = attr(el, "type");
  if (type !== undefined && !FIELD_TYPES.includes(type)) {
    throw new PushError("bad-request", `data form field has unknown type '${type}'`, { stanza: form });
  }
  const name = attr(el, "var");
  if (name === undefined && type !== "fixed") {
    throw new PushError("bad-request", "data form field without 'var'", { stanza: form });
  }
  const field: FormField = { values: [] };
  let desc: Element | undefined;
  let options: FieldOption[] | undefined;
  for (const child of el.children) {
    if (typeof child === "string") continue;
    switch (child.getName()) {
      case "value":
        field.values.push(child.text());
        break;
      case "desc":
        desc ??= child;
        break;
      case "required":
        field.required = true;
        break;
      case "option": {
        const parsed: FieldOption = { value: child.getChildText("value") ?? "" };
        const optionLabel = attr(child, "label");
        if (optionLabel !== undefined) parsed.label = optionLabel;
        (options ??= []).push(parsed);
        break;
      }
    }
  }
  if (name !== undefined) field.var = name;
  if (type !== undefined) field.type = type as FieldType;
  const label = attr(el, "label");
  if (label !== undefined) field.label = label;
  const descText = desc?.text();
  if (descText) field.desc = descText;
  if (options) field.options = options;
  return field;
}

/**
 * The FORM_TYPE a form element declares, read without parsing the form: the first value of its
 * first `FORM_TYPE` field (what `parseForm` puts in `formType`), or undefined.
 */
export function formTypeOf(x: Element): string | undefined {
  for (const child of x.children) {
    if (typeof child === "string" || child.getName() !== "field" || child.attrs.var !== "FORM_TYPE") continue;
    return child.getChild("value")?.text();
  }
  return undefined;
}

/** The first form child of `parent`, optionally only one whose FORM_TYPE is `formType`. */
export function findForm(parent: Element, formType?: string): DataForm | undefined {
  for (const x of childrenOf(parent, "x", NS.dataForms)) {
    // Only the form asked for is parsed (and checked); a form of another FORM_TYPE is not ours to judge.
    if (formType === undefined || formTypeOf(x) === formType) return parseForm(x);
  }
  return undefined;
}

export function getField(form: DataForm, name: string): FormField | undefined {
  return form.fields.find((field) => field.var === name);
}

/** The first value of a field, or undefined when the field is absent or has no non-empty value. */
export function getValue(form: DataForm, name: string): string | undefined {
  const value = getField(form, name)?.values[0];
  return value === undefined || value === "" ? undefined : value;
}

export function getValues(form: DataForm, name: string): string[] {
  return getField(form, name)?.values ?? [];
}

/** XEP-0004 booleans accept `1`/`true` and `0`/`false`. */
export function parseBoolean(value: string | undefined): boolean | undefined {
  if (value === "1" || value === "true") return true;
  if (value === "0" || value === "false") return false;
  return undefined;
}

/** The fields of a form as a record of value lists (FORM_TYPE excluded). */
export function formValues(form: DataForm): Record<string, string[]> {
  const values: Record<string, string[]> = {};
  for (const field of form.fields) if (field.var !== undefined) values[field.var] = field.values;
  return values;
}
