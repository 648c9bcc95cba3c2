import { type DiscoInfo, NS_PUBSUB } from "../../protocol/index.js";

// How each built-in dialect is recognised, apart from the dialects themselves: `discover()` can
// then name the export an app server needs when the app did not pass that dialect, without
// shipping the dialect.

export const REGISTER_PUSH = "register-push-";
export const UNREGISTER_PUSH = "unregister-push";
export const UNREGISTER_PUSH_SERVICE = "unregister-push-";
export const V1_REGISTER = "v1-register-push";
export const TIGASE_REGISTER = "register-device";
export const TIGASE_UNREGISTER = "unregister-device";

/** A command node for one service: the prefix and a service name after it. */
export function isServiceNode(node: string, prefix: string): boolean {
  return node.startsWith(prefix) && node.length > prefix.length;
}

export const modPushMatches = (nodes: readonly string[]): boolean => nodes.includes(UNREGISTER_PUSH) && nodes.some((node) => node.startsWith(REGISTER_PUSH));

export const p2Matches = (nodes: readonly string[]): boolean =>
  nodes.some((node) => node.startsWith(REGISTER_PUSH)) && nodes.some((node) => isServiceNode(node, UNREGISTER_PUSH_SERVICE));

export const v1Matches = (nodes: readonly string[]): boolean => nodes.includes(V1_REGISTER);

export const tigaseMatches = (nodes: readonly string[]): boolean => nodes.includes(TIGASE_REGISTER) && nodes.includes(TIGASE_UNREGISTER);

// MongooseIM's mod_pubsub adds the identity pubsub/push when its push plugin is on.
export const mongooseimMatches = (info: DiscoInfo): boolean =>
  info.features.includes(NS_PUBSUB) && info.identities.some((identity) => identity.category === "pubsub" && identity.type === "push");

/** The `xmpp-push` export of the built-in dialect an app server speaks, in the default list's order. */
export function builtInDialectOf(nodes: readonly string[], info: DiscoInfo): string | undefined {
  if (modPushMatches(nodes)) return "modPush";
  if (p2Matches(nodes)) return "p2";
  if (v1Matches(nodes)) return "v1";
  if (tigaseMatches(nodes)) return "tigase";
  return mongooseimMatches(info) ? "mongooseim" : undefined;
}
