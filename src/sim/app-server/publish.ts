import { attr, type Element, NS, type ParsedPublish, parseEncrypted, parseNotification, parsePublish, type Summary, TIGASE_NS, type TigaseEncrypted } from "../../protocol/index.js";
import type { AppServerContext } from "./context.js";
import type { AppServerDialect } from "./dialects/index.js";
import { conditionOf, refusal } from "./iq-errors.js";
import { deliveryOf } from "./recording-provider.js";
import type { AppRegistration, ProviderMessage, ProviderResult } from "./types.js";

/**
 * Handles a XEP-0357 publish from a user's server: checks it, hands the summary to the
 * registration's provider and resolves when the provider accepted it. Every refusal is thrown as
 * a `PushError` and raised as a "rejected" event.
 */
export async function publishNotification(context: AppServerContext, iq: Element, pubsub: Element): Promise<void> {
  try {
    await deliver(context, iq, pubsub);
  } catch (error) {
    const node = pubsub.getChild("publish");
    context.notify("rejected", {
      node: (node && attr(node, "node")) ?? "",
      from: attr(iq, "from") ?? "",
      condition: conditionOf(error),
    });
    throw error;
  }
}

async function deliver(context: AppServerContext, iq: Element, pubsub: Element): Promise<void> {
  const publish = parsePublish(pubsub);
  const summary = summaryOf(publish);
  const found = context.registrations.get(publish.node);
  const dialect = dialectFor(context, found);
  const registration = await dialect.publish.accept({ context, iq, from: attr(iq, "from"), publish, registration: found });
  await deliverSummary(context, registration, summary, encryptedOf(publish));
}

/**
 * Hands a checked publish's summary to the provider of each device on the registration's node
 * (one, but every device of the account on Tigase's node, T16). A failure is answered as the
 * registration's dialect says (mod-push: a transient one is a `wait` refusal, a rejected token
 * removes the registration and is `item-not-found`); the publish is refused only when no device
 * took it, with the first device's refusal (our choice: Tigase's answer is not known).
 */
export async function deliverSummary(context: AppServerContext, registration: AppRegistration, summary: Summary, encrypted?: TigaseEncrypted): Promise<void> {
  if (!context.registrations.holdsSeveral(registration.node)) return deliverToDevice(context, registration, summary, encrypted);
  const devices = context.registrations.onNode(registration.node);
  let refused: unknown;
  let delivered = false;
  for (const device of devices) {
    try {
      await deliverToDevice(context, device, summary, encrypted);
      delivered = true;
    } catch (error) {
      refused ??= error;
    }
  }
  if (!delivered) throw refused;
}

async function deliverToDevice(context: AppServerContext, registration: AppRegistration, summary: Summary, encrypted?: TigaseEncrypted): Promise<void> {
  const message: ProviderMessage = { provider: registration.provider, token: registration.token, node: registration.node, summary, registration };
  if (encrypted) message.encrypted = encrypted;
  const result = await sendToProvider(context, message);
  if (result.ok) {
    context.notify("delivered", deliveryOf(message, context.now()));
    return;
  }
  throw dialectFor(context, registration).publish.failed(context, message, result);
}

/** The dialect that made a registration; for an unknown node, the app server's first. */
function dialectFor(context: AppServerContext, registration: AppRegistration | undefined): AppServerDialect {
  const own = registration && context.dialects.find((dialect) => dialect.name === registration.dialect);
  return own ?? context.dialects[0]!;
}

/** A9: the item must hold `<notification xmlns='urn:xmpp:push:0'>`; its summary form is optional. */
function summaryOf(publish: ParsedPublish): Summary {
  if (!publish.hasItem) throw refusal("bad-request", "publish without <item/>", { type: "modify" });
  if (!publish.payload?.is("notification", NS.push)) {
    throw refusal("bad-request", `the item holds no <notification xmlns='${NS.push}'/>`, { type: "modify" });
  }
  return parseNotification(publish.payload).summary ?? {};
}

/** Tigase's `<encrypted/>` (T15): passed to the provider as it came, never opened here. */
function encryptedOf(publish: ParsedPublish): TigaseEncrypted | undefined {
  const element = publish.payload?.getChild("encrypted", TIGASE_NS.encrypt);
  if (!element) return undefined;
  try {
    return parseEncrypted(element);
  } catch (error) {
    throw refusal("bad-request", error instanceof Error ? error.message : String(error), { type: "modify" });
  }
}

async function sendToProvider(context: AppServerContext, message: ProviderMessage): Promise<ProviderResult> {
  const provider = context.providers.get(message.provider);
  if (!provider) throw refusal("internal-server-error", `no provider '${message.provider}'`, { type: "wait" });
  try {
    return await provider.send(message);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw refusal("internal-server-error", `the ${message.provider} provider failed: ${reason}`, { type: "wait" });
  }
}
