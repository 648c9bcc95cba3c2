import { type Element, formValues, NS, parseNotification, parsePublish, randomHex, xml } from "../../protocol/index.js";
import type { ProviderResult } from "../app-server/types.js";
import type { PubsubContext } from "./context.js";
import { pubsubError } from "./errors.js";
import { checkNodeSecret, forwardToSubscribers } from "./forward.js";
import { affiliationOf } from "./node-book.js";
import { existingNode } from "./requested-node.js";
import type { PubsubNode, PubsubPushMessage } from "./types.js";

/** What MongooseIM's node_push answers when MongoosePush fails for another reason than the device (its spelling). */
const SUBMIT_FAILED = "faild-to-submit-push-notification";

/**
 * XEP-0060 §7.1: a publish. On a push node it goes to the provider the publish-options name, as
 * MongooseIM's node_push hands it to MongoosePush, or, on a forwarding service (royneary's push
 * service), to the node's subscribers; a leaf node only acknowledges it.
 */
export async function publishItem(context: PubsubContext, publisher: string, pubsub: Element): Promise<Element> {
  const publish = parsePublish(pubsub);
  const node = existingNode(context, publish.node);
  if (!publish.payload) throw pubsubError("bad-request", "publish without an item payload", { specific: "item-required" });
  const options = publish.publishOptions ? singleValues(formValues(publish.publishOptions)) : {};
  const forwarding = node.type === "push" && context.pushNodes === "subscribers";
  if (forwarding) checkNodeSecret(node, options);
  else checkPreconditions(node, options);
  checkPublisher(node, publisher);
  const itemId = publish.itemId ?? randomHex(8);
  if (forwarding) forwardToSubscribers(context, node, publisher, itemId, publish.payload);
  else if (node.type === "push") await pushToProvider(context, node, publisher, publish.payload, options);
  return xml("pubsub", { xmlns: NS.pubsub }, xml("publish", { node: node.name }, xml("item", { id: itemId })));
}

/**
 * XEP-0060 §7.1.5: publish-options the node cannot meet are `conflict` + `precondition-not-met`.
 * A push node (MongooseIM's node_push) requires `device_id` and `service`; other nodes compare
 * each `pubsub#` option with their configuration.
 */
function checkPreconditions(node: PubsubNode, options: Record<string, string>): void {
  const unmet =
    node.type === "push"
      ? ["device_id", "service"].filter((field) => !options[field])
      : Object.keys(options).filter((field) => field.startsWith("pubsub#") && options[field] !== configured(node, field));
  if (unmet.length > 0) throw pubsubError("conflict", `publish-options not met: ${unmet.join(", ")}`, { specific: "precondition-not-met" });
}

function configured(node: PubsubNode, field: string): string | undefined {
  if (field === "pubsub#access_model") return node.accessModel;
  if (field === "pubsub#publish_model") return node.publishModel;
  return node.config[field]?.[0];
}

/** XEP-0060 §7.1.3.1: with publish model `publishers`, only owners, publishers and publish-only may publish. */
function checkPublisher(node: PubsubNode, publisher: string): void {
  const affiliation = affiliationOf(node, publisher);
  const allowed =
    affiliation !== "outcast" && (node.publishModel === "open" || ["owner", "publisher", "publish-only"].includes(affiliation));
  if (!allowed) throw pubsubError("forbidden", `${publisher} may not publish to '${node.name}'`);
}

async function pushToProvider(context: PubsubContext, node: PubsubNode, publisher: string, payload: Element, options: Record<string, string>): Promise<void> {
  if (!payload.is("notification", NS.push)) throw pubsubError("bad-request", `a push node takes <notification xmlns='${NS.push}'/>`);
  const message: PubsubPushMessage = {
    service: options.service!,
    deviceId: options.device_id!,
    node: node.name,
    publisher,
    summary: parseNotification(payload).summary ?? {},
    publishOptions: options,
  };
  const result = await send(context, message);
  if (result.ok) {
    context.notify("delivered", { ...message, at: context.now() });
    return;
  }
  // node_push: an unregistered device is `not-acceptable` of type cancel, so the user's server disables the node.
  if (result.reason === "token-invalid") {
    throw pubsubError("not-acceptable", `the ${message.service} device is not registered`, { type: "cancel", specific: "device-not-registered" });
  }
  throw pubsubError("bad-request", `the ${message.service} push service failed`, { specific: SUBMIT_FAILED });
}

async function send(context: PubsubContext, message: PubsubPushMessage): Promise<ProviderResult> {
  const provider = context.providers.get(message.service);
  if (!provider) throw pubsubError("bad-request", `no push service '${message.service}'`, { specific: SUBMIT_FAILED });
  try {
    return await provider.send(message);
  } catch {
    return { ok: false, reason: "transient" };
  }
}

/** publish-options fields are single-valued (MongooseIM drops a form with a multi-valued one). */
function singleValues(values: Record<string, string[]>): Record<string, string> {
  const single: Record<string, string> = {};
  for (const [name, list] of Object.entries(values)) {
    if (name === "FORM_TYPE") continue;
    if (list.length !== 1) throw pubsubError("bad-request", `publish-option '${name}' must have one value`, { specific: "invalid-options" });
    single[name] = list[0]!;
  }
  return single;
}
