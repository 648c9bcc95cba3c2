import { PushError } from "./errors.js";
import { type DataForm, formFromValues, getField, parseBoolean } from "./forms.js";

/** royneary mod_push's per-user options form, sent next to publish-options in `<enable/>`. */
export const PUSH_OPTIONS_FORM_TYPE = "urn:xmpp:push:options";

/** What a user lets the server put in the summary of their pushes (royneary mod_push). */
export interface PushUserOptions {
  /** `last-message-sender` (and royneary's `last-subscription-sender`). */
  includeSenders?: boolean;
  includeMessageCount?: boolean;
  /** `pending-subscription-count`. */
  includeSubscriptionCount?: boolean;
  includeMessageBodies?: boolean;
}

const FIELDS = {
  includeSenders: "include-senders",
  includeMessageCount: "include-message-count",
  includeSubscriptionCount: "include-subscription-count",
  includeMessageBodies: "include-message-bodies",
} as const satisfies Record<keyof PushUserOptions, string>;

const KEYS = Object.keys(FIELDS) as (keyof PushUserOptions)[];

/** The options as a data form: `submit` in an enable, `result` in the server's answer and disco#info. */
export function buildPushOptionsForm(options: PushUserOptions, type: "submit" | "result" = "submit"): DataForm {
  const form = formFromValues(type, PUSH_OPTIONS_FORM_TYPE, pushOptionValues(options));
  if (type === "result") for (const field of form.fields) field.type = "boolean";
  return form;
}

/** The options as the form's field values, in the form's order. */
export function pushOptionValues(options: PushUserOptions): Record<string, boolean | undefined> {
  const values: Record<string, boolean | undefined> = {};
  for (const key of KEYS) values[FIELDS[key]] = options[key];
  return values;
}

/** Reads the options form; a field that is not an XEP-0004 boolean is `PushError('not-acceptable')`, as royneary answers. */
export function parsePushOptionsForm(form: DataForm): PushUserOptions {
  if (form.formType !== PUSH_OPTIONS_FORM_TYPE) {
    throw new PushError("bad-request", `expected FORM_TYPE ${PUSH_OPTIONS_FORM_TYPE}, got ${form.formType ?? "none"}`);
  }
  const options: PushUserOptions = {};
  for (const key of KEYS) {
    const field = getField(form, FIELDS[key]);
    if (!field) continue;
    const value = parseBoolean(field.values[0]);
    if (value === undefined) throw new PushError("not-acceptable", `${FIELDS[key]} must be a boolean, got '${field.values[0] ?? ""}'`);
    options[key] = value;
  }
  return options;
}
