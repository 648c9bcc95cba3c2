import {
  attr,
  domainOf,
  type Element,
  getValue,
  NS,
  type ParsedPublish,
  parseNotification,
  parsePublish,
  type Summary,
  toJid,
} from "../../protocol/index.js";
import type { AppServerContext } from "./context.js";
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
  const registration = context.registrations.get(publish.node);
  if (!registration) throw refusal("item-not-found", `no push node '${publish.node}'`, { type: "cancel" });
  checkPublisher(attr(iq, "from"), registration, context.mucPublishers);
  checkSecret(publish, registration);
  await deliverSummary(context, registration, summary);
}

/**
 * Hands a checked publish's summary to the registration's provider. A transient failure is a
 * `wait` refusal; a rejected token removes the registration and is `item-not-found`.
 */
export async function deliverSummary(context: AppServerContext, registration: AppRegistration, summary: Summary): Promise<void> {
  const message: ProviderMessage = { provider: registration.provider, token: registration.token, node: registration.node, summary, registration };
  const result = await sendToProvider(context, message);
  if (result.ok) {
    context.notify("delivered", deliveryOf(message, context.now()));
    return;
  }
  if (result.reason === "transient") {
    const retry = result.retryAfter === undefined ? "" : `; retry after ${result.retryAfter} ms`;
    // A wait error: servers keep the registration and try again later.
    throw refusal("resource-constraint", `the ${message.provider} push service is temporarily unavailable${retry}`, { type: "wait" });
  }
  forgetRejectedToken(context, message);
}

/** A9: the item must hold `<notification xmlns='urn:xmpp:push:0'>`; its summary form is optional. */
function summaryOf(publish: ParsedPublish): Summary {
  if (!publish.hasItem) throw refusal("bad-request", "publish without <item/>", { type: "modify" });
  if (!publish.payload?.is("notification", NS.push)) {
    throw refusal("bad-request", `the item holds no <notification xmlns='${NS.push}'/>`, { type: "modify" });
  }
  return parseNotification(publish.payload).summary ?? {};
}

/**
 * The XEP example publishes from the user's bare JID; Prosody and ejabberd publish from their
 * domain. Anyone else, including the user's own full JID, may not push to the node.
 */
function checkPublisher(from: string | undefined, registration: AppRegistration, mucPublishers: readonly string[]): void {
  const publisher = from === undefined ? undefined : toJid(from);
  const isOwner = publisher !== undefined && publisher.resource === "" && publisher.toString() === registration.owner;
  const isOwnersServer =
    publisher !== undefined && publisher.local === "" && publisher.resource === "" && publisher.domain === domainOf(registration.owner);
  // M5, M6: a MUC service the app server trusts (its rooms, its domain) publishes for group chats.
  const isTrustedMuc = publisher !== undefined && publisher.resource === "" && mucPublishers.includes(publisher.domain);
  if (!isOwner && !isOwnersServer && !isTrustedMuc) {
    throw refusal("forbidden", `${from ?? "an unknown sender"} may not publish to this node`, { type: "auth" });
  }
}

/** A6: the secret handed out at registration must come back in the publish-options. */
function checkSecret(publish: ParsedPublish, registration: AppRegistration): void {
  const secret = publish.publishOptions && getValue(publish.publishOptions, "secret");
  if (secret === undefined) throw refusal("not-authorized", "publish-options carry no secret", { type: "auth" });
  if (secret !== registration.secret) throw refusal("not-authorized", "wrong secret", { type: "auth" });
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

/** A8: the device is gone (as APNS/FCM report an unregistered one), so is its node. */
function forgetRejectedToken(context: AppServerContext, message: ProviderMessage): never {
  const current = context.registrations.get(message.node);
  if (current && current.token !== message.token) {
    // Re-registered with a new token while this send was under way: the node lives on.
    throw refusal("resource-constraint", "the device token changed during delivery", { type: "wait" });
  }
  if (current) {
    context.registrations.delete(current.node);
    context.notify("unregistered", current);
  }
  throw refusal("item-not-found", `the ${message.provider} push service rejected the device token; the node was removed`, {
    type: "cancel",
  });
}
