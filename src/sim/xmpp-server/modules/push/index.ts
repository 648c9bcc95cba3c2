import { bareJid, buildForm, buildPushOptionsForm, type Element, NS, parseDisable, parseEnable, PushError, xml } from "../../../../protocol/index.js";
import type { IqHandler } from "../../../iq-router.js";
import type { ClientSession, IqContext, ModuleHost, ServerModule } from "../../module.js";
import { archivePushTargets } from "./archive-push.js";
import type { ResolvedPushOptions } from "./options.js";
import { PushPublisher } from "./publisher.js";
import { newRegistration, pushIdentifier, type PushRegistration, PushRegistry } from "./registry.js";
import { pushesForGroupchat, pushesWhenOffline, pushesWhenUndelivered } from "./rules.js";
import { configuredUserOptions, UserOptionsBook } from "./user-options.js";

export type { PushOptions, ResolvedPushOptions, ShouldPublish } from "./options.js";
export { resolvePushOptions } from "./options.js";
export type { PushRegistration } from "./registry.js";

export interface PushModule extends ServerModule {
  readonly name: "push";
  /** The account's registrations, in the order they were enabled. */
  registrations(account: string): PushRegistration[];
}

/**
 * XEP-0357 push notifications (Prosody's mod_cloud_notify, ejabberd's mod_push): the account's
 * enable and disable, and a publish for each message the account could not receive: to every
 * registration when it is stored offline, to the session's own registration when it is queued for
 * a hibernated session or left unacknowledged (PT6), and as PT2 says when it is archived.
 */
export function pushModule(options: ResolvedPushOptions): PushModule {
  const registry = new PushRegistry();
  return {
    name: "push",
    registrations: (account) => registry.list(account),
    load(host) {
      const publisher = new PushPublisher(host, registry, options);
      const userOptions = new UserOptionsBook(configuredUserOptions(options), options.userOptions, (account) => registry.count(account) > 0);
      /** Messages since the account's last login, for `message-count`. */
      const messageCounts = new Map<string, number>();
      /** Subscription requests waiting for the account, for `pending-subscription-count`. */
      const subscriptionCounts = new Map<string, number>();
      const counts = (account: string) => ({ messages: messageCounts.get(account) ?? 0, subscriptions: subscriptionCounts.get(account) ?? 0 });
      /**
       * The registrations each message already pushed to: hibernation, ack timeouts, the archive
       * and offline storage push a message once per registration (mod_cloud_notify's `_push_notify`).
       */
      const pushed = new WeakMap<Element, Set<string>>();
      /** The registration each session enabled (mod_cloud_notify's `session.push_identifier`). */
      const owners = new WeakMap<ClientSession, string>();
      const push = (account: string | undefined, message: Element, to: readonly PushRegistration[] = account ? registry.list(account) : []): void => {
        if (!account || to.length === 0) return;
        const earlier = pushed.get(message);
        const fresh = earlier ? to.filter((registration) => !earlier.has(pushIdentifier(registration))) : to;
        if (fresh.length === 0) return;
        const done = earlier ?? new Set<string>();
        // A message counts once, the first time it pushes.
        if (!earlier) {
          pushed.set(message, done);
          messageCounts.set(account, (messageCounts.get(account) ?? 0) + 1);
        }
        for (const registration of fresh) done.add(pushIdentifier(registration));
        publisher.notify(account, message, counts(account), userOptions.of(account), fresh);
      };

      host.addFeature("account", NS.push);
      host.handleIq("self", "set", NS.push, "enable", enableHandler(host, registry, userOptions, owners, options.maxRegistrations));
      // royneary: the account's own options, as an XEP-0128 form of its disco#info.
      if (options.userOptions !== "none") host.addDiscoForm("account", (account) => buildPushOptionsForm(userOptions.of(account), "result"));
      host.handleIq("self", "set", NS.push, "disable", disableHandler(host, registry, options));
      for (const name of ["enable", "disable"]) {
        host.handleIq("self", "get", NS.push, name, () => {
          throw new PushError("not-allowed", `XEP-0357 ${name} must be an IQ set`);
        });
      }

      host.hook("resource-bind", ({ session }) => {
        if (session.account) messageCounts.delete(session.account);
      });
      host.hook("message/offline/broadcast", ({ account }) => void subscriptionCounts.delete(account));
      // A resumed session receives what was queued for it, the subscription requests among them.
      host.hook("smacks-hibernation-end", ({ session, resumed }) => (resumed && session.account ? void subscriptionCounts.delete(session.account) : undefined));
      host.hook("presence/subscribe/offline", ({ account, stanza, pending }) => {
        subscriptionCounts.set(account, pending);
        if (userOptions.of(account).includeSubscriptionCount) publisher.notify(account, stanza, counts(account), userOptions.of(account));
      });
      // royneary's mod_push keeps push users' sessions waiting for resumption far longer.
      host.hook("smacks-wait-for-resume", ({ session }) => (session.account && registry.count(session.account) > 0 ? "push-user" : undefined));
      // Before offline storage takes the message (mod_cloud_notify hooks message/offline/handle at priority 1).
      host.hook("message/offline", ({ account, stanza }) => (pushesWhenOffline(stanza, options) ? push(account, stanza) : undefined), 1);
      // mod_cloud_notify's `message/bare/groupchat` (M4): a room's copy for an absent member pushes, and still bounces.
      host.hook("message/bare/groupchat", ({ account, stanza }) => void (pushesForGroupchat(stanza, options) && push(account, stanza)), 1);
      /**
       * A session's held-back stanzas push only to the registration that session enabled, as in
       * mod_cloud_notify (`session.push_identifier`) and ejabberd (the c2s state's push session):
       * a desktop that never enabled push wakes nobody, and the phone is pushed for its own queue.
       */
      const ownRegistration = (session: ClientSession): PushRegistration[] => {
        const identifier = owners.get(session);
        return registry.list(session.account ?? "").filter((registration) => pushIdentifier(registration) === identifier);
      };
      const pushQueuedSubscription = (session: ClientSession, request: Element): void => {
        const account = session.account;
        if (!account || !userOptions.of(account).includeSubscriptionCount) return;
        subscriptionCounts.set(account, (subscriptionCounts.get(account) ?? 0) + 1);
        publisher.notify(account, request, counts(account), userOptions.of(account), ownRegistration(session));
      };
      const pushHeldBack = (session: ClientSession, stanzas: readonly Element[]): void => {
        for (const stanza of stanzas) if (pushesWhenUndelivered(stanza)) push(session.account, stanza, ownRegistration(session));
      };
      host.hook("smacks-hibernation-start", ({ session, queue }) => pushHeldBack(session, queue));
      host.hook("smacks-hibernation-stanza-queued", ({ session, stanza }) => {
        // royneary's mgmt_queue_add_hook: a subscription request queued for a hibernated session pushes too (R10).
        if (stanza.is("presence") && stanza.attrs.type === "subscribe") pushQueuedSubscription(session, stanza);
        else pushHeldBack(session, [stanza]);
      });
      host.hook("smacks-ack-delayed", ({ session, stanzas }) => pushHeldBack(session, stanzas));
      // A phone with no session gets pushes while the account's desktop is online (Prosody 003).
      host.hook("archive-message-added", ({ account, stanza }) => {
        if (pushesWhenOffline(stanza, options)) push(account, stanza, archivePushTargets(host, owners, account, stanza, registry.list(account)));
      });
      host.hook("cloud-notify-ping", ({ account, nodes, stanza }) => {
        const targets = registry.list(account).filter((registration) => !nodes || nodes.includes(registration.node));
        if (stanza) push(account, stanza, targets);
        else publisher.notify(account, undefined, counts(account), userOptions.of(account), targets);
        return targets.length;
      });
    },
  };
}

function enableHandler(
  host: ModuleHost,
  registry: PushRegistry,
  userOptions: UserOptionsBook,
  owners: WeakMap<ClientSession, string>,
  maxRegistrations: number,
): IqHandler<IqContext> {
  return ({ payload, context }) => {
    const account = ownAccount(context);
    const enable = parseEnable(payload);
    // S2: a node is required (ejabberd refuses enable without one too).
    if (!enable.node) throw new PushError("bad-request", "enable without node");
    if (bareJid(enable.jid) === account) throw new PushError("bad-request", "the push service JID must not be your own");
    const session = host.sessionsOf(account).find((candidate) => candidate.jid === context.from);
    const registration = newRegistration(account, enable.jid, enable.node, enable.publishOptions, Date.now());
    // Other modules read their children of <enable/> here, and throw a PushError to refuse it.
    host.fire("cloud-notify/registration", { account, session, enable: payload, registration });
    const accepted = userOptions.enable(account, enable.pushOptions);
    const evicted = registry.add(registration, maxRegistrations);
    if (session) owners.set(session, pushIdentifier(registration));
    for (const gone of evicted) host.emit("disabled", gone);
    host.emit("enabled", registration);
    // royneary answers with the options it accepted, in the echoed <enable/>.
    if (Object.keys(accepted).length === 0) return undefined;
    return xml("enable", { xmlns: NS.push, jid: enable.jid, node: enable.node }, buildForm(buildPushOptionsForm(accepted, "result")));
  };
}

function disableHandler(host: ModuleHost, registry: PushRegistry, options: ResolvedPushOptions): IqHandler<IqContext> {
  return ({ payload, context }) => {
    const disable = parseDisable(payload);
    const removed = registry.disable(ownAccount(context), disable.jid, disable.node);
    if (removed.length === 0 && options.disableUnknown === "item-not-found") throw new PushError("item-not-found", "Push record not found");
    for (const registration of removed) host.emit("disabled", registration);
    return undefined;
  };
}

function ownAccount(context: IqContext): string {
  if (!context.account) throw new PushError("service-unavailable");
  return context.account;
}

