import { buildDiscoInfoQuery, buildDiscoItemsQuery, buildIq, domainOf, NS, parseDiscoInfo, parseDiscoItems } from "../protocol/index.js";
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
  const candidates = parseDiscoItems(query).items;
  const found = await Promise.all(
    candidates.map(async (item) => {
      try {
        const reply = await sendRequest(xmpp, buildIq({ type: "get", to: item.jid }, buildDiscoInfoQuery(item.node)), timeout);
        const infoQuery = reply.getChild("query", NS.discoInfo);
        if (!infoQuery) return false;
        const info = parseDiscoInfo(infoQuery);
        const isPush = info.identities.some((identity) => identity.category === "pubsub" && identity.type === "push");
        return isPush && requiredFeatures.every((feature) => info.features.includes(feature));
      } catch {
        return false;
      }
    }),
  );
  return candidates.find((_item, index) => found[index])?.jid;
}
