import { buildDiscoInfoQuery, buildDiscoItemsQuery, buildIq, domainOf, NS } from "../protocol/index.js";
import { readDiscoInfo, readDiscoItems } from "./read-disco.js";
import { sendRequest } from "./request.js";
import type { XmppConnection } from "./types.js";

/**
 * The first of the account's server's disco#items with identity `pubsub/push` and every one of
 * `requiredFeatures`, as TigaseSwift's findPushComponent looks (T1); undefined when none.
 * Items whose disco#info fails are skipped.
 */
export async function findPushComponent(xmpp: XmppConnection, account: string, timeout: number, requiredFeatures: readonly string[] = []): Promise<string | undefined> {
  const items = await sendRequest(xmpp, buildIq({ type: "get", to: domainOf(account) }, buildDiscoItemsQuery()), timeout);
  const query = items.getChild("query", NS.discoItems);
  if (!query) return undefined;
  const candidates = readDiscoItems(query);
  // All asked at once; answered in order, so an item after the one found never holds the answer up.
  const checks = candidates.map((item) => isPushComponent(xmpp, item.jid, item.node, timeout, requiredFeatures));
  for (const [index, check] of checks.entries()) {
    if (await check) return candidates[index]!.jid;
  }
  return undefined;
}

async function isPushComponent(xmpp: XmppConnection, jid: string, node: string | undefined, timeout: number, requiredFeatures: readonly string[]): Promise<boolean> {
  try {
    const reply = await sendRequest(xmpp, buildIq({ type: "get", to: jid }, buildDiscoInfoQuery(node)), timeout);
    const infoQuery = reply.getChild("query", NS.discoInfo);
    if (!infoQuery) return false;
    const info = readDiscoInfo(infoQuery);
    const isPush = info.identities.some((identity) => identity.category === "pubsub" && identity.type === "push");
    return isPush && requiredFeatures.every((feature) => info.features.includes(feature));
  } catch {
    return false;
  }
}
