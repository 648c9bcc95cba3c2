import {
  type DataForm,
  type FieldType,
  formValues,
  getValue,
  getValues,
  type Jid,
  parseBoolean,
} from "../../protocol/index.js";
import { badPayload } from "./iq-errors.js";
import { webPushSubscriptionProblem } from "./web-push-subscription.js";

/** One field a `register-push-<provider>` command asks for. */
interface RegistrationField {
  var: string;
  type: FieldType;
  label: string;
  desc?: string;
  required: boolean;
}

/** What a submitted registration form says, before node and secret are assigned. */
export interface RegistrationInput {
  deviceId: string;
  deviceName?: string;
  token: string;
  fields: Record<string, string[]>;
}

const DEVICE_FIELDS: RegistrationField[] = [
  { var: "device-id", type: "text-single", label: "Device ID", desc: "Defaults to the resource you send this from", required: false },
  { var: "device-name", type: "text-single", label: "Device name", required: false },
];

const TOKEN_FIELD: RegistrationField = { var: "token", type: "text-single", label: "Device token", required: true };

// royneary mod_push's per-platform extras; webpush (ours) takes the browser's PushSubscription instead of a token.
const PROVIDER_FIELDS: Record<string, RegistrationField[]> = {
  apns: [TOKEN_FIELD, { var: "silent-push", type: "boolean", label: "Silent push (content-available)", required: false }],
  ubuntu: [TOKEN_FIELD, { var: "application-id", type: "text-single", label: "Application ID", required: true }],
  webpush: [
    { var: "endpoint", type: "text-single", label: "Push subscription endpoint", required: true },
    { var: "p256dh", type: "text-single", label: "Subscription public key (p256dh, base64url)", required: true },
    { var: "auth", type: "text-single", label: "Subscription auth secret (base64url)", required: true },
  ],
};

function registrationFields(provider: string): RegistrationField[] {
  return [...(PROVIDER_FIELDS[provider] ?? [TOKEN_FIELD]), ...DEVICE_FIELDS];
}

/** The form a multi-stage registration shows first (XEP-0050 §3.4, XEP-0004 type `form`). */
export function registrationForm(provider: string): DataForm {
  return {
    type: "form",
    title: `Register a ${provider} device for push notifications`,
    instructions: ["Fill in the device's push details; the result gives the jid, node and secret to enable push with."],
    fields: registrationFields(provider).map((field) => ({ ...field, values: [] })),
  };
}

/** Validates a submitted registration form; a missing or invalid field is `bad-request` + `<bad-payload/>` (A10). */
export function readRegistration(provider: string, form: DataForm, requester: Jid): RegistrationInput {
  if (form.type !== "submit") throw badPayload(`registration form must be of type submit, got ${form.type}`);
  for (const field of registrationFields(provider)) checkField(form, field);

  const deviceId = getValue(form, "device-id") ?? (requester.resource || undefined);
  if (deviceId === undefined) throw badPayload("no device-id given and no resource to default it to");
  const token = provider === "webpush" ? webPushToken(form) : requiredValue(form, "token");
  const input: RegistrationInput = { deviceId, token, fields: formValues(form) };
  const deviceName = getValue(form, "device-name");
  if (deviceName !== undefined) input.deviceName = deviceName;
  return input;
}

function checkField(form: DataForm, field: RegistrationField): void {
  if (getValues(form, field.var).length > 1) throw badPayload(`field '${field.var}' takes one value`);
  const value = getValue(form, field.var);
  if (value === undefined) {
    if (field.required) throw badPayload(`missing required field '${field.var}'`);
    return;
  }
  if (field.type === "boolean" && parseBoolean(value) === undefined) {
    throw badPayload(`field '${field.var}' must be a boolean (1, 0, true, false)`);
  }
}

function webPushToken(form: DataForm): string {
  const subscription = {
    endpoint: requiredValue(form, "endpoint"),
    p256dh: requiredValue(form, "p256dh"),
    auth: requiredValue(form, "auth"),
  };
  const problem = webPushSubscriptionProblem(subscription);
  if (problem) throw badPayload(problem);
  return subscription.endpoint;
}

function requiredValue(form: DataForm, name: string): string {
  const value = getValue(form, name);
  if (value === undefined) throw badPayload(`missing required field '${name}'`);
  return value;
}
