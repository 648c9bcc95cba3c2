import { buildCommandResponse, type Element, formFromValues, getValue, PushError, randomHex } from "../../../protocol/index.js";
import type { AppServerContext } from "../context.js";
import { badPayload, refusal } from "../iq-errors.js";
import type { AppRegistration, ProviderMessage } from "../types.js";
import type { AppServerDialect, DialectCommandRequest, DialectPublish, ProviderFailure } from "./types.js";

const REGISTER = "register-device";
const UNREGISTER = "unregister-device";

/**
 * Tigase's push component as TigaseSwift talks to it (docs/conformance.md T2, T3, T15):
 * `register-device` (`provider`, `device-token`, optional `device-second-token`) answers a
 * completed command with the `node`, and no secret: the node is the capability;
 * `unregister-device` removes the device by provider and token. `provider` is Tigase's id
 * (`tigase:messenger:fcm:1`) or a provider name of this app server (`fcm`). A publish carrying
 * `<encrypted xmlns='tigase:push:encrypt:0'>` reaches the provider untouched.
 *
 * The node is the account's, not the device's (T16): every device an account registers gets the
 * same node, which a publish reaches all of, as tigase-push's repository derives the node from
 * the service and account JIDs alone (docs/notes/tigase-registrations.md).
 */
export function createTigaseDialect(): AppServerDialect {
  // Tigase's node is a function of (service, account); salted here, so it is no guess from public JIDs.
  const salt = randomHex();
  return {
    name: "tigase",
    commands: () => [
      { node: REGISTER, name: "Register device" },
      { node: UNREGISTER, name: "Unregister device" },
    ],
    handles: (node) => node === REGISTER || node === UNREGISTER,
    execute: (command) => execute(command, salt),
    publish: { accept, failed },
  };
}

async function execute({ context, requester, request }: DialectCommandRequest, salt: string): Promise<Element> {
  const action = request.action ?? "execute";
  if (action !== "execute" && action !== "complete") throw refusal("bad-request", `action '${action}' is not supported`, { specific: "bad-action" });
  if (!request.form) throw badPayload(`${request.node} needs a submitted form with provider and device-token`);
  const owner = requester.bare().toString();
  const provider = providerOf(context, getValue(request.form, "provider"));
  const token = getValue(request.form, "device-token");
  if (!token) throw badPayload("device-token is required");
  const existing = context.registrations.list(owner).find((registration) => registration.dialect === "tigase" && registration.provider === provider && registration.token === token);
  const sessionid = randomHex();
  if (request.node === UNREGISTER) {
    if (!existing) throw refusal("item-not-found", "no such device is registered", { type: "cancel" });
    context.registrations.deleteDevice(existing.node, existing.provider, existing.deviceId);
    context.notify("unregistered", existing);
    return buildCommandResponse({ node: request.node, status: "completed", sessionid, notes: [] });
  }
  const secondToken = getValue(request.form, "device-second-token");
  const registration: AppRegistration = {
    owner,
    provider,
    // Tigase keys a device by its token: there is no device id on the wire.
    deviceId: token,
    dialect: "tigase",
    token,
    node: existing?.node ?? (await accountNode(salt, owner)),
    secret: "",
    fields: { provider: [provider], "device-token": [token], ...(secondToken ? { "device-second-token": [secondToken] } : {}) },
    createdAt: existing?.createdAt ?? context.now(),
  };
  context.registrations.putDevice(registration);
  context.notify("registered", registration);
  const form = formFromValues("result", undefined, { node: registration.node });
  return buildCommandResponse({ node: request.node, status: "completed", sessionid, notes: [], form });
}

/** The account's node: the same for each of its devices and after they all unregistered, as Tigase's is (T16). */
async function accountNode(salt: string, owner: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${salt}\n${owner}`));
  return [...new Uint8Array(digest, 0, 16)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** `tigase:messenger:<name>:<version>` names one of our providers by `<name>`; an unknown one is `item-not-found`. */
function providerOf(context: AppServerContext, value: string | undefined): string {
  if (!value) throw badPayload("provider is required");
  const name = /^tigase:messenger:([^:]+):\d+$/.exec(value)?.[1] ?? value;
  if (!context.providers.has(name)) throw refusal("item-not-found", `no provider '${value}'`, { type: "cancel" });
  return name;
}

/** The node is the capability: any publisher that names a registered node is delivered. */
function accept({ publish, registration }: DialectPublish): AppRegistration {
  if (!registration) throw refusal("item-not-found", `no push node '${publish.node}'`, { type: "cancel" });
  return registration;
}

/** A transient failure answers `wait`; a rejected token removes that device (the node keeps the account's others) and answers `item-not-found`. */
function failed(context: AppServerContext, message: ProviderMessage, failure: ProviderFailure): PushError {
  if (failure.reason === "transient") return refusal("resource-constraint", `the ${message.provider} push service is temporarily unavailable`, { type: "wait" });
  const removed = context.registrations.deleteDevice(message.node, message.provider, message.registration.deviceId);
  if (removed) context.notify("unregistered", removed);
  return refusal("item-not-found", `the ${message.provider} push service rejected the device token; the device was removed`, { type: "cancel" });
}
