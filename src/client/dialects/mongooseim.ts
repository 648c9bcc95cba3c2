import { buildIq, buildSubmitForm, NS_NODE_CONFIG, NS_PUBSUB, NS_PUBSUB_OWNER, PushError, randomHex, xml } from "../../protocol/index.js";
import { domainOfAccount } from "../bare-address.js";
import { mongooseimMatches } from "./signatures.js";
import type { DialectChannel, PubsubRegisteredNode, PubsubRegisterInput, RequestsDialect } from "./types.js";

/** The services MongoosePush pushes to, named by the publish-option `service`. */
const SERVICES = ["fcm", "apns"];

/**
 * MongooseIM's push setups (doc/tutorials/push-notifications/Push-notifications-client-side.md):
 * PubSub-full creates a `type='push'` node at the pubsub service, configured `whitelist` +
 * `publishers`, and lets the user's server publish (`publish-only`); PubSub-less, at a virtual
 * pubsub host, creates nothing. Either way the node is unique and the token travels as the
 * publish-options `device_id` and `service` (plus `fields`: `mode`, `topic`, `silent`, …).
 */
export const mongooseim: RequestsDialect = {
  name: "mongooseim",
  kind: "requests",

  matchesService: mongooseimMatches,

  async register(channel, input) {
    if (typeof input.token !== "string") throw new PushError("not-supported", "MongoosePush takes FCM and APNS tokens, not Web Push subscriptions");
    if (!SERVICES.includes(input.provider)) throw new PushError("not-supported", `MongoosePush has no service '${input.provider}'`);
    const registered: PubsubRegisteredNode = {
      jid: input.service,
      node: randomHex(16),
      publishOptions: { ...singleValued(input.fields), service: input.provider, device_id: input.token },
    };
    if (!input.virtualPubsubHost) await createPushNode(channel, registered.jid, registered.node);
    return registered;
  },

  async unregister(channel, service, nodes) {
    const removed: string[] = [];
    for (const node of nodes) {
      try {
        await channel.request(buildIq({ type: "set", to: service }, xml("pubsub", { xmlns: NS_PUBSUB_OWNER }, xml("delete", { node }))));
      } catch (error) {
        if (!(error instanceof PushError && error.condition === "item-not-found")) throw error;
      }
      removed.push(node);
    }
    return removed;
  },
};

async function createPushNode(channel: DialectChannel, service: string, node: string): Promise<void> {
  const config = buildSubmitForm({ "pubsub#access_model": "whitelist", "pubsub#publish_model": "publishers" }, NS_NODE_CONFIG);
  const create = xml("pubsub", { xmlns: NS_PUBSUB }, xml("create", { node, type: "push" }), xml("configure", {}, config));
  await channel.request(buildIq({ type: "set", to: service }, create));
  // The guide's "Adding the server's JID to allowed publishers": notifications come from the user's domain.
  const publisher = xml("affiliation", { jid: domainOfAccount(channel.account), affiliation: "publish-only" });
  const affiliations = xml("pubsub", { xmlns: NS_PUBSUB_OWNER }, xml("affiliations", { node }, publisher));
  try {
    await channel.request(buildIq({ type: "set", to: service }, affiliations));
  } catch (error) {
    await mongooseim.unregister(channel, service, [node]).catch(() => undefined);
    throw error;
  }
}

/** publish-options are single-valued: MongooseIM refuses an enable whose form has a multi-valued field. */
function singleValued(fields: PubsubRegisterInput["fields"]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields ?? {})) {
    if (Array.isArray(value)) {
      if (value.length !== 1) throw new PushError("bad-request", `publish-option '${name}' takes one value`);
      values[name] = value[0]!;
    } else {
      values[name] = value as string;
    }
  }
  return values;
}
