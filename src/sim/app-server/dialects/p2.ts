import {
  attr,
  buildCommandResponse,
  bytesToBase64,
  type DataForm,
  defaultErrorType,
  domainOf,
  type Element,
  formValues,
  getValue,
  type Jid,
  NS,
  PushError,
  toJid,
  xml,
} from "../../../protocol/index.js";
import type { AppServerContext } from "../context.js";
import { refusal } from "../iq-errors.js";
import type { AppRegistration } from "../types.js";
import type { AppServerDialect, DialectCommandRequest, DialectPublish } from "./types.js";

// Conversations' app server, iNPUTmice/p2 src/main/java/eu/siacs/p2/controller/PushController.java
// at 8b83fd5c01cf6cc21de43676d695b4e66b09e5fc (docs/conformance.md P2-*).
const REGISTER_PREFIX = "register-push-";
const UNREGISTER_PREFIX = "unregister-push-";
/** p2's `Service` enum. */
const SERVICES = ["fcm", "apns"];
/** p2 `Target.create`: `Utils.random(3)` and `Utils.random(6)` are base64 of 9 and 18 random bytes. */
const NODE_BYTES = 9;
const SECRET_BYTES = 18;

/**
 * p2 (P2-1…P2-9): `register-push-<service>` and `unregister-push-<service>`, each one stage
 * with the form in the `execute`. A registration is one (service, account, device, muc); p2
 * keys it by SHA-1 hashes of (account, device-id) and (muc, device-id), which name the same
 * thing as the plain values kept here. p2 itself answers no disco; listing its commands is ours.
 */
export function createP2Dialect(): AppServerDialect {
  return {
    name: "p2",
    commands: (context) =>
      servicesOf(context).flatMap((service) => [
        { node: REGISTER_PREFIX + service, name: `Register a ${service} device` },
        { node: UNREGISTER_PREFIX + service, name: `Unregister a ${service} device` },
      ]),
    handles: (node) => node.startsWith(REGISTER_PREFIX) || node.startsWith(UNREGISTER_PREFIX),
    execute,
    publish: { accept, failed: (_context, _message, failure) => deliveryFailure(failure.reason) },
  };
}

function servicesOf(context: AppServerContext): string[] {
  return SERVICES.filter((service) => context.providers.has(service));
}

/** P2-2: only an explicit `action='execute'` with a form is a request; anything else is `bad-request`. */
async function execute({ context, iq, requester, request }: DialectCommandRequest): Promise<Element> {
  const command = iq.getChild("command", NS.commands);
  if (!command || attr(command, "action") !== "execute" || !request.form) throw p2Error("bad-request");
  if (request.node.startsWith(REGISTER_PREFIX)) return register(context, requester, request.node, request.form);
  return unregister(context, requester, request.node, request.form);
}

function register(context: AppServerContext, requester: Jid, node: string, form: DataForm): Element {
  const deviceId = deviceIdOf(form);
  const token = getValue(form, "token");
  if (isBlank(token) || isBlank(deviceId)) throw p2Error("bad-request");
  const muc = mucOf(form);
  const service = serviceOf(context, REGISTER_PREFIX, node);
  const owner = requester.bare().toString();
  const existing = findTarget(context, owner, deviceId!, muc, service);
  const registration: AppRegistration = existing ?? {
    owner,
    provider: service,
    deviceId: deviceId!,
    dialect: "p2",
    token: token!,
    node: randomBase64(NODE_BYTES),
    secret: randomBase64(SECRET_BYTES),
    fields: {},
    createdAt: context.now(),
  };
  // P2-4: a re-registration keeps node and secret and takes the new token.
  registration.token = token!;
  registration.fields = formValues(form);
  context.registrations.put(registration);
  context.notify("registered", registration);
  // P2-3: the result is a form of type `form`, its fields untyped; the sessionid is p2's clock.
  const result = buildCommandResponse({
    node,
    status: "completed",
    sessionid: String(context.now()),
    notes: [],
    form: {
      type: "form",
      fields: [
        { var: "jid", values: [context.pubsubHost] },
        { var: "node", values: [registration.node] },
        { var: "secret", values: [registration.secret] },
      ],
    },
  });
  return result;
}

/**
 * P2-5: with `muc`, the one channel of that room; without, every registration of the device
 * for that service (rooms included). It succeeds only when exactly one went: removing two is
 * answered `item-not-found` although both are gone, as p2's row count check does.
 */
function unregister(context: AppServerContext, requester: Jid, node: string, form: DataForm): Element {
  const service = serviceOf(context, UNREGISTER_PREFIX, node);
  const deviceId = deviceIdOf(form);
  const muc = mucOf(form, { fullJidAllowed: true });
  if (isBlank(deviceId)) throw p2Error("bad-request");
  const owner = requester.bare().toString();
  const doomed = context.registrations
    .list(owner)
    .filter((registration) => registration.dialect === "p2" && registration.deviceId === deviceId)
    .filter((registration) => (muc === undefined ? registration.provider === service : mucOfRegistration(registration) === muc));
  for (const registration of doomed) {
    context.registrations.delete(registration.node);
    context.notify("unregistered", registration);
  }
  if (doomed.length !== 1) throw p2Error("item-not-found");
  // p2 answers `new Command(node, Action.COMPLETE)`: an action, no status, no form.
  return xml("command", { xmlns: NS.commands, node, action: "complete" });
}

function findTarget(context: AppServerContext, owner: string, deviceId: string, muc: string | undefined, service: string): AppRegistration | undefined {
  return context.registrations
    .list(owner)
    .find(
      (registration) =>
        registration.dialect === "p2" && registration.provider === service && registration.deviceId === deviceId && mucOfRegistration(registration) === muc,
    );
}

/** P2-1: `device-id`, or the legacy `android-id` when it is absent or blank. */
function deviceIdOf(form: DataForm): string | undefined {
  const deviceId = getValue(form, "device-id");
  return isBlank(deviceId) ? getValue(form, "android-id") : deviceId;
}

/** P2-1: `muc` names a room by its bare JID; a full JID is `bad-request` at register. */
function mucOf(form: DataForm, options: { fullJidAllowed?: boolean } = {}): string | undefined {
  const value = getValue(form, "muc");
  if (value === undefined || value === "") return undefined;
  let muc: Jid;
  try {
    muc = toJid(value);
  } catch {
    throw p2Error("bad-request");
  }
  if (muc.resource !== "" && !options.fullJidAllowed) throw p2Error("bad-request");
  return muc.toString();
}

/**
 * p2 @ 8b83fd5c keeps a room's target under the account's domain (`Target.createMuc`) and looks a
 * publish up by the sender's domain, so a room on a MUC service of its own domain would find
 * nothing; modelled as meant: the channel's own room may publish to it.
 */
function fromItsRoom(context: AppServerContext, registration: AppRegistration, sender: Jid): boolean {
  return context.mucPublishers.includes(sender.domain) && mucOfRegistration(registration) === sender.toString();
}

function mucOfRegistration(registration: AppRegistration): string | undefined {
  const muc = registration.fields.muc?.[0];
  return muc === undefined || muc === "" ? undefined : toJid(muc).toString();
}

/** P2-6: the node's suffix, upper-cased, must be one of p2's services, else `item-not-found`. */
function serviceOf(context: AppServerContext, prefix: string, node: string): string {
  const service = node.slice(prefix.length).toLowerCase();
  if (!servicesOf(context).includes(service)) throw p2Error("item-not-found");
  return service;
}

/**
 * P2-7: a bare sender and a secret, else `forbidden`; the node is looked up among the nodes of
 * the sender's domain (so the account's server or its bare JID), else `item-not-found`; a
 * wrong secret is `forbidden`. P2-10: a room's channel also takes its room's publishes, when
 * the room's service is one of `mucPublishers`.
 */
function accept({ context, from, publish, registration }: DialectPublish): AppRegistration {
  const secret = publish.publishOptions && getValue(publish.publishOptions, "secret");
  const sender = parseSender(from);
  if (secret === undefined || !sender || sender.resource !== "") throw p2Error("forbidden");
  if (!registration || registration.dialect !== "p2" || (domainOf(registration.owner) !== sender.domain && !fromItsRoom(context, registration, sender))) {
    throw p2Error("item-not-found");
  }
  if (secret !== registration.secret) throw p2Error("forbidden");
  return registration;
}

/** P2-8: FCM's UNREGISTERED is `item-not-found` (p2 keeps the target); any other failure `recipient-unavailable`. */
function deliveryFailure(reason: "token-invalid" | "transient"): PushError {
  return reason === "token-invalid" ? p2Error("item-not-found") : p2Error("recipient-unavailable");
}

function parseSender(from: string | undefined): Jid | undefined {
  try {
    return from === undefined ? undefined : toJid(from);
  } catch {
    return undefined;
  }
}

// p2 answers bare conditions (`iq.createError(Condition)`): no text; the type is the condition's usual one.
function p2Error(condition: "bad-request" | "item-not-found" | "forbidden" | "recipient-unavailable"): PushError {
  return refusal(condition, condition, { type: defaultErrorType(condition) });
}

function isBlank(value: string | undefined): boolean {
  return value === undefined || value.trim() === "";
}

function randomBase64(bytes: number): string {
  const buffer = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(buffer);
  return bytesToBase64(buffer);
}
