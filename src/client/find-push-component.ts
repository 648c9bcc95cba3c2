import { buildDiscoInfoQuery, buildDiscoItemsQuery, buildIq, NS_DISCO_INFO, NS_DISCO_ITEMS } from "../protocol/index.js";
import { domainOfAccount } from "./bare-address.js";
import type { DialectChannel } from "./dialects/types.js";
import { readDiscoInfo, readDiscoItems } from "./read-disco.js";

/**
 * The first of the account's server's disco#items with identity `pubsub/push` and every one of
 * `requiredFeatures`, as TigaseSwift's findPushComponent looks (T1); undefined when none.
 * Items whose disco#info fails are skipped.
 */
export async function findPushComponent(channel: DialectChannel, requiredFeatures: readonly string[]): Promise<string | undefined> {
  const query = (await channel.request(buildIq({ type: "get", to: domainOfAccount(channel.account) }, buildDiscoItemsQuery()))).getChild("query", NS_DISCO_ITEMS);
  const candidates = query ? readDiscoItems(query) : [];
  // All asked at once; answered in order, so an item after the one found never holds the answer up.
  const checks = candidates.map((item) => isPushComponent(channel, item.jid, item.node, requiredFeatures));
  for (const [index, check] of checks.entries()) {
    if (await check) return candidates[index]!.jid;
  }
  return undefined;
}

async function isPushComponent(channel: DialectChannel, jid: string, node: string | undefined, requiredFeatures: readonly string[]): Promise<boolean> {
  try {
    const infoQuery = (await channel.request(buildIq({ type: "get", to: jid }, buildDiscoInfoQuery(node)))).getChild("query", NS_DISCO_INFO);
    if (!infoQuery) return false;
    const info = readDiscoInfo(infoQuery);
    const isPush = info.identities.some((identity) => identity.category === "pubsub" && identity.type === "push");
    return isPush && requiredFeatures.every((feature) => info.features.includes(feature));
  } catch {
    return false;
  }
}
