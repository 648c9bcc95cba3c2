import { type Element, xml } from "../../../protocol/index.js";
import { Rosters } from "./roster-items.js";
import type { ResolvedRosterOptions } from "./roster-options.js";
import type { ServerModule } from "../module.js";
import { SubscriptionRequests } from "./subscription-requests.js";

const NS_ROSTER = "jabber:iq:roster";

export interface RosterModule extends ServerModule {
  readonly name: "roster";
  /** Subscription requests waiting for the account (a bare JID) to come online. */
  pendingSubscriptions(account: string): readonly Element[];
}

/**
 * A minimal RFC 6121 roster: the items a client sets (subscription `none`; no roster pushes), and a
 * subscription request to an account with no available resource is kept and delivered at its
 * next initial presence (§3.1.3). Approvals, roster items and re-delivery until answered are
 * not modelled. A roster holds at most `options.maxItems` items (S20).
 */
export function rosterModule(options: ResolvedRosterOptions = { maxItems: Number.POSITIVE_INFINITY }): RosterModule {
  const requests = new SubscriptionRequests();
  const rosters = new Rosters(options.maxItems);
  return {
    name: "roster",
    pendingSubscriptions: (account) => requests.peek(account),
    load(host) {
      host.handleIq("self", "get", NS_ROSTER, "query", ({ context }) => xml("query", { xmlns: NS_ROSTER }, ...rosters.items(context.account ?? "")));
      host.handleIq("self", "set", NS_ROSTER, "query", ({ payload, context }) => {
        rosters.set(context.account ?? "", payload);
        return undefined;
      });
      host.hook("roster-item", ({ account, contact }) => rosters.subscription(account, contact));
      host.hook("presence/bare", ({ account, stanza }) => {
        if (stanza.attrs.type !== "subscribe" || host.availableSessionsOf(account).length > 0) return undefined;
        const pending = requests.store(account, stanza);
        host.fire("presence/subscribe/offline", { account, stanza, pending });
        return true;
      });
      host.hook("message/offline/broadcast", ({ session, account }) => {
        for (const request of requests.take(account)) session.send(request);
      });
    },
  };
}
