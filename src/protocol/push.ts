import { PushError } from "./errors.js";
import { buildForm, type DataForm, type FieldValue, formFromValues, getValue, parseForm } from "./forms.js";
import { NS, NS_DATA_FORMS, NS_PUBLISH_OPTIONS, NS_PUSH } from "./namespaces.js";
import { parsePushOptionsForm, PUSH_OPTIONS_FORM_TYPE, pushOptionValues, type PushUserOptions } from "./push-options.js";
import { buildSubmitForm } from "./submit-form.js";
import { attr, childrenOf, type Element, xml } from "./xml.js";

/** Publish-options an app server expects back in every publish, e.g. `{ secret }`. */
export type PublishOptions = Readonly<Record<string, FieldValue>>;

export interface EnableRequest {
  /** The push service (app server) JID. */
  jid: string;
  node: string;
  publishOptions?: PublishOptions;
  /** royneary's per-user options, sent as the `urn:xmpp:push:options` form. */
  pushOptions?: PushUserOptions;
  /** Extra children for server extensions (e.g. Tigase's filters). */
  extensions?: Element[];
}

export interface ParsedEnable {
  jid: string;
  node?: string;
  /** The client's publish-options `<x>`, kept verbatim for replay in every publish (XEP-0357 §7). */
  publishOptions?: Element;
  /** royneary's per-user options form, when the enable carried one. */
  pushOptions?: PushUserOptions;
}

export interface DisableRequest {
  jid: string;
  node?: string;
}

/**
 * The `urn:xmpp:push:summary` fields. Servers send any subset; other fields they add are kept
 * in `extra`.
 */
export interface Summary {
  messageCount?: number;
  lastMessageSender?: string;
  lastMessageBody?: string;
  pendingSubscriptionCount?: number;
  extra?: Record<string, string[]>;
}

export interface Notification {
  summary?: Summary;
  /** Children other than the summary form. */
  extensions: Element[];
}

/** `<enable xmlns='urn:xmpp:push:0' jid node>` with publish-options as a `submit` form (C2, C3). */
export function buildEnable(request: EnableRequest): Element {
  if (!request.jid) throw new PushError("bad-request", "enable needs the push service jid");
  if (!request.node) throw new PushError("bad-request", "enable needs a node (ejabberd refuses enable without one)");
  const enable = xml("enable", { xmlns: NS_PUSH, jid: request.jid, node: request.node });
  if (request.publishOptions && Object.keys(request.publishOptions).length > 0) enable.append(buildSubmitForm(request.publishOptions, NS_PUBLISH_OPTIONS));
  if (request.pushOptions && Object.keys(request.pushOptions).length > 0) enable.append(buildSubmitForm(pushOptionValues(request.pushOptions), PUSH_OPTIONS_FORM_TYPE));
  for (const extension of request.extensions ?? []) enable.append(extension);
  return enable;
}

/** Parses `<enable>`; no `jid` → `PushError('bad-request')`. A node is optional here (Prosody accepts none). */
export function parseEnable(enable: Element): ParsedEnable {
  assertPush(enable, "enable");
  const jid = attr(enable, "jid");
  if (!jid) throw new PushError("bad-request", "enable without jid", { stanza: enable });
  const parsed: ParsedEnable = { jid };
  const node = attr(enable, "node");
  if (node) parsed.node = node;
  // The publish-options and royneary's options form, in any order.
  for (const x of childrenOf(enable, "x", NS_DATA_FORMS)) {
    const form = parseForm(x);
    if (form.formType === PUSH_OPTIONS_FORM_TYPE && form.type === "submit" && !parsed.pushOptions) {
      parsed.pushOptions = parsePushOptionsForm(form);
    } else if (form.type === "submit" && form.formType === NS_PUBLISH_OPTIONS && !parsed.publishOptions) {
      parsed.publishOptions = x;
    } else {
      throw new PushError("bad-request", "an enable carries one publish-options and one urn:xmpp:push:options submit form", { stanza: enable });
    }
  }
  return parsed;
}

export function buildDisable(request: DisableRequest): Element {
  if (!request.jid) throw new PushError("bad-request", "disable needs the push service jid");
  return xml("disable", { xmlns: NS_PUSH, jid: request.jid, node: request.node || undefined });
}

export function parseDisable(disable: Element): DisableRequest {
  assertPush(disable, "disable");
  const jid = attr(disable, "jid");
  if (!jid) throw new PushError("bad-request", "disable without jid", { stanza: disable });
  const node = attr(disable, "node");
  return node ? { jid, node } : { jid };
}

const SUMMARY_FIELDS = ["message-count", "last-message-sender", "last-message-body", "pending-subscription-count"];

/**
 * The summary form. `emptyFields` writes all four XEP-0357 fields, typed, the absent ones
 * without a value — the shape Prosody's mod_cloud_notify sends.
 */
export function buildSummary(summary: Summary, type: "submit" | "form" = "submit", options: { emptyFields?: boolean } = {}): DataForm {
  if (!options.emptyFields) {
    const form = formFromValues(type, NS.pushSummary, {
      "message-count": summary.messageCount,
      "pending-subscription-count": summary.pendingSubscriptionCount,
      "last-message-sender": summary.lastMessageSender,
      "last-message-body": summary.lastMessageBody,
    });
    for (const [name, values] of Object.entries(summary.extra ?? {})) form.fields.push({ var: name, values });
    return form;
  }
  const field = (name: string, fieldType: "text-single" | "jid-single", value: number | string | undefined) => ({
    var: name,
    type: fieldType,
    values: value === undefined ? [] : [String(value)],
  });
  return {
    type,
    formType: NS.pushSummary,
    fields: [
      field("message-count", "text-single", summary.messageCount),
      field("pending-subscription-count", "text-single", summary.pendingSubscriptionCount),
      field("last-message-sender", "jid-single", summary.lastMessageSender),
      field("last-message-body", "text-single", summary.lastMessageBody),
      ...Object.entries(summary.extra ?? {}).map(([name, values]) => ({ var: name, values })),
    ],
  };
}

/**
 * Reads a summary as real servers send it: `submit` or `form` type, empty fields left in
 * (Prosody), counts absent (ejabberd). Empty or non-numeric values read as absent.
 */
export function parseSummary(form: DataForm): Summary {
  if (form.formType !== NS.pushSummary) {
    throw new PushError("bad-request", `expected FORM_TYPE ${NS.pushSummary}, got ${form.formType ?? "none"}`);
  }
  const summary: Summary = {};
  const messageCount = parseCount(getValue(form, "message-count"));
  if (messageCount !== undefined) summary.messageCount = messageCount;
  const pending = parseCount(getValue(form, "pending-subscription-count"));
  if (pending !== undefined) summary.pendingSubscriptionCount = pending;
  const sender = getValue(form, "last-message-sender");
  if (sender !== undefined) summary.lastMessageSender = sender;
  const body = getValue(form, "last-message-body");
  if (body !== undefined) summary.lastMessageBody = body;
  for (const field of form.fields) {
    if (field.var === undefined || SUMMARY_FIELDS.includes(field.var)) continue;
    summary.extra ??= {};
    summary.extra[field.var] = field.values;
  }
  return summary;
}

function parseCount(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

/** `<notification xmlns='urn:xmpp:push:0'>` with an optional summary form; an empty one is legal. */
export function buildNotification(notification: Partial<Notification> = {}): Element {
  const element = xml("notification", { xmlns: NS_PUSH });
  if (notification.summary) element.append(buildForm(buildSummary(notification.summary)));
  for (const extension of notification.extensions ?? []) element.append(extension);
  return element;
}

export function parseNotification(element: Element): Notification {
  assertPush(element, "notification");
  const notification: Notification = { extensions: [] };
  for (const child of element.getChildElements()) {
    // Every form is checked (a malformed one is bad-request) and parsed once.
    const form = child.is("x", NS_DATA_FORMS) ? parseForm(child) : undefined;
    if (form?.formType !== NS.pushSummary) notification.extensions.push(child);
    else notification.summary ??= parseSummary(form);
  }
  return notification;
}

/** The publish-options form of a stored enable, as a record (e.g. to read the `secret`). */
export function publishOptionValues(x: Element): Record<string, string | undefined> {
  const form = parseForm(x);
  const values: Record<string, string | undefined> = {};
  for (const field of form.fields) if (field.var) values[field.var] = field.values[0];
  return values;
}

function assertPush(element: Element, name: string): void {
  if (!element.is(name, NS_PUSH)) {
    throw new PushError("bad-request", `expected <${name} xmlns='${NS_PUSH}'>, got <${element.name} xmlns='${String(element.getNS())}'>`, {
      stanza: element,
    });
  }
}

