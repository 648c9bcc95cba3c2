import { bareJid, type Element, NS_PUSH2, PUSH2_MATCH, PUSH2_SEND_NOTIFY_ONLY, PUSH2_SEND_SCE } from "../../../../protocol/index.js";
import type { ClientSession, ServerModule } from "../../module.js";
import { SessionActivity } from "./activity.js";
import { Push2Enabler } from "./enable.js";
import { isImportantForPush2, isVoip } from "./important.js";
import { firstMatch, type MatchContext } from "./match.js";
import type { ResolvedPush2Options } from "./options.js";
import { type Push2Registration, Push2Registry } from "./registry.js";
import { Push2Sender } from "./sender.js";

export type { Push2Options, ResolvedPush2Options } from "./options.js";
export { resolvePush2Options } from "./options.js";
export type { Push2Registration } from "./registry.js";

export interface Push2Module extends ServerModule {
  readonly name: "push2";
  /** The account's Push 2.0 registrations, in the order they were enabled. */
  registrations(account: string): Push2Registration[];
}

/**
 * Push 2.0 (`urn:xmpp:push2:0`, the ProtoXEP of prosody-modules' mod_push2; P2S rows): enable and
 * disable per client, inline in Bind2 too; for each message the account's clients may miss — stored
 * offline, archived while the client has no session, queued for its hibernated session, a room's
 * message with nobody online — a `<message/>` to each matching registration's push service,
 * carrying the stanza RFC 8291-encrypted in an XEP-0420 envelope and an RFC 8292 JWT.
 */
export function push2Module(options: ResolvedPush2Options): Push2Module {
  const registry = new Push2Registry();
  return {
    name: "push2",
    registrations: (account) => registry.list(account),
    load(host) {
      const sender = new Push2Sender(host, registry, options);
      const enabler = new Push2Enabler(host, registry, sender, options.now, options.maxRegistrations);
      const activity = new SessionActivity(host, options.now);
      for (const feature of [NS_PUSH2, ...Object.values(PUSH2_MATCH), PUSH2_SEND_SCE, PUSH2_SEND_NOTIFY_ONLY]) host.addFeature("account", feature);

      /** The registrations each stanza already pushed to (mod_push2's `_push_notify2`). */
      const pushed = new WeakMap<Element, Set<string>>();
      const push = (account: string, stanza: Element, targets: readonly Push2Registration[]): void => {
        if (stanza.name !== "message" || targets.length === 0) return;
        let done = pushed.get(stanza);
        if (!done) pushed.set(stanza, (done = new Set()));
        const sessions = host.sessionsOf(account);
        const context: MatchContext = {
          account,
          stanza,
          nickIn: (room) => activity.nickIn(sessions, room),
          activeElsewhere: (registration, seconds) => activeElsewhere(sessions, registration, seconds),
        };
        const voip = isVoip(stanza);
        const priority = voip ? "high" : isImportantForPush2(stanza, nickOf(context)) ? "normal" : "low";
        for (const registration of targets) {
          if (done.has(registration.id)) continue;
          const match = firstMatch(registration, context);
          if (!match) continue;
          done.add(registration.id);
          sender.notify(registration, match, stanza, priority, voip);
        }
      };
      const activeElsewhere = (sessions: readonly ClientSession[], registration: Push2Registration, seconds: number): boolean => {
        const since = options.now() - seconds * 1000;
        return sessions.some((session) => enabler.owners.get(session) !== registration.id && (activity.lastActive(session) ?? -Infinity) > since);
      };
      const unowned = (account: string): Push2Registration[] => {
        const owned = new Set(host.sessionsOf(account).map((session) => enabler.owners.get(session)));
        return registry.list(account).filter((registration) => !owned.has(registration.id));
      };
      const own = (session: ClientSession): Push2Registration[] => {
        const id = enabler.owners.get(session);
        return id === undefined ? [] : registry.list(session.account ?? "").filter((registration) => registration.id === id);
      };

      // Before offline storage takes it, as mod_push2's message/offline/handle at priority 1.
      host.hook("message/offline", ({ account, stanza }) => void push(account, stanza, registry.list(account)), 1);
      host.hook("message/bare/groupchat", ({ account, stanza }) => void push(account, stanza, registry.list(account)), 1);
      // While some session of the account is online: the registrations no bound session owns (a call: all of them).
      host.hook("archive-message-added", ({ account, stanza }) => {
        if (host.sessionsOf(account).length === 0 || recipientOf(stanza, account) !== account) return;
        push(account, stanza, isVoip(stanza) ? registry.list(account) : unowned(account));
      });
      host.hook("smacks-hibernation-start", ({ session, queue }) => {
        for (const stanza of queue) push(session.account ?? "", stanza, own(session));
      });
      host.hook("smacks-hibernation-stanza-queued", ({ session, stanza }) => push(session.account ?? "", stanza, own(session)));
      host.hook("message/host", ({ stanza }) => (sender.answered(stanza) ? true : undefined));
      return () => sender.close();
    },
  };
}

function recipientOf(stanza: Element, account: string): string {
  const to = stanza.attrs.to;
  return typeof to === "string" && to !== "" ? bareJid(to).toLowerCase() : account;
}

function nickOf(context: MatchContext): string | undefined {
  const from = String(context.stanza.attrs.from ?? "");
  return context.stanza.attrs.type === "groupchat" && from ? context.nickIn(bareJid(from).toLowerCase()) : undefined;
}
