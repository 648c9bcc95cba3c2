import { type DataForm, type Jid, PushError, randomHex } from "../../protocol/index.js";
import { refusal } from "./iq-errors.js";
import type { AppServerContext } from "./context.js";
import { readRegistration } from "./registration-form.js";
import type { AppRegistration } from "./types.js";

/**
 * Registers the requester's device with `provider`. Node and secret are 128 random bits (A3); the
 * same owner + provider + device keeps them and gets the new token (A4). With a separate push
 * service a new node is created there first: no registration without its node.
 */
export async function registerDevice(context: AppServerContext, provider: string, requester: Jid, form: DataForm): Promise<AppRegistration> {
  const input = readRegistration(provider, form, requester);
  const owner = requester.bare().toString();
  const existing = context.registrations.findDevice(owner, provider, input.deviceId);
  const registration: AppRegistration = {
    owner,
    provider,
    deviceId: input.deviceId,
    dialect: "mod-push",
    token: input.token,
    node: existing?.node ?? randomHex(),
    secret: existing?.secret ?? randomHex(),
    fields: input.fields,
    createdAt: existing?.createdAt ?? context.now(),
  };
  if (input.deviceName !== undefined) registration.deviceName = input.deviceName;
  // Refused before its node is created at the push service, where it would be left behind.
  context.registrations.checkRoom(owner, registration.node);
  if (!existing && context.pushService) await createAtPushService(context, registration);
  context.registrations.put(registration);
  context.notify("registered", registration);
  return registration;
}

async function createAtPushService(context: AppServerContext, registration: AppRegistration): Promise<void> {
  try {
    await context.pushService!.create(registration);
  } catch (error) {
    if (error instanceof PushError && error.condition === "remote-server-timeout") throw error;
    const condition = error instanceof PushError ? error.condition : "internal-server-error";
    throw refusal("internal-server-error", `the push service ${context.pushService!.service} refused the node (${condition})`, { type: "wait" });
  }
}

/** The completed command's answer: where to enable push, and the secret to publish with. */
export function registrationResult(context: AppServerContext, registration: AppRegistration): DataForm {
  return {
    type: "result",
    fields: [
      { var: "jid", type: "jid-single", label: "Push service JID", values: [context.pubsubHost] },
      { var: "node", type: "text-single", label: "Push node", values: [registration.node] },
      { var: "secret", type: "text-private", label: "Publish secret", values: [registration.secret] },
    ],
  };
}
