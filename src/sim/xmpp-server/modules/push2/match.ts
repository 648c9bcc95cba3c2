import { bareJid, domainOf, type Element, type Push2ParsedFilter, PUSH2_MATCH, type Push2Match } from "../../../../protocol/index.js";
import { ENCRYPTED } from "../push/important.js";
import { isImportantForPush2, isVoip } from "./important.js";
import type { Push2Registration } from "./registry.js";

const NS_SID = "urn:xmpp:sid:0";
const NS_REPLY = "urn:xmpp:reply:0";

/** What deciding on one stanza for one account needs besides the registration. */
export interface MatchContext {
  /** The account's bare JID. */
  readonly account: string;
  readonly stanza: Element;
  /** The account's nick in a room it joined, if it did (mod_push2's `rooms_joined`). */
  readonly nickIn: (room: string) => string | undefined;
  /** Whether a session of the account other than the registration's own was active in the last `seconds`. */
  readonly activeElsewhere: (registration: Push2Registration, seconds: number) => boolean;
}

/**
 * The first of the registration's matches that `stanza` satisfies (P2S5–P2S7): its profile, then
 * its grace period (a call ignores it), then its filters, as mod_push2's `handle_notify_request`.
 */
export function firstMatch(registration: Push2Registration, context: MatchContext): Push2Match | undefined {
  return registration.matches.find((match) => matches(match, registration, context));
}

function matches(match: Push2Match, registration: Push2Registration, context: MatchContext): boolean {
  const { stanza } = context;
  if (!profileMatches(match.profile, context)) return false;
  if (match.grace !== undefined && !isVoip(stanza) && context.activeElsewhere(registration, match.grace)) return false;
  const filter = filterFor(match.filters, String(stanza.attrs.from ?? ""));
  return !filter || passesFilter(filter, context);
}

function profileMatches(profile: string, context: MatchContext): boolean {
  const { stanza, account } = context;
  switch (profile) {
    case PUSH2_MATCH.all:
      return true;
    case PUSH2_MATCH.important:
      return isImportantForPush2(stanza, ownNick(context));
    // The ProtoXEP's "stored in the user's archive": the archive's <stanza-id/> (mod_push2 looks for "stana-id", never found).
    case PUSH2_MATCH.archived:
      return isArchived(stanza, account);
    case PUSH2_MATCH.archivedWithBody:
      return isArchived(stanza, account) && hasBody(stanza);
    default:
      return false;
  }
}

function isArchived(stanza: Element, account: string): boolean {
  return stanza.getChildren("stanza-id", NS_SID).some((id) => String(id.attrs.by ?? "").toLowerCase() === account);
}

/** mod_push2's `has_body`: a non-empty body, or an encrypted payload whose body cannot be seen. */
function hasBody(stanza: Element): boolean {
  if (ENCRYPTED.some(([name, xmlns]) => stanza.getChild(name, xmlns))) return true;
  return Boolean(stanza.getChildText("body"));
}

/** The filter for the sender's full JID, else its bare JID, else its domain. */
function filterFor(filters: readonly Push2ParsedFilter[], from: string): Push2ParsedFilter | undefined {
  if (filters.length === 0 || !from) return undefined;
  const candidates = [from, bareJid(from), domainOf(from)].map((jid) => jid.toLowerCase());
  for (const candidate of candidates) {
    const filter = filters.find((entry) => entry.jid.toLowerCase() === candidate);
    if (filter) return filter;
  }
  return undefined;
}

/** A listed chat pushes only a mention of the account's nick (or username) or a reply to the account. */
function passesFilter(filter: Push2ParsedFilter, context: MatchContext): boolean {
  const { stanza, account } = context;
  const nick = ownNick(context) ?? account.slice(0, account.indexOf("@"));
  if (filter.mention && nick !== "" && (stanza.getChildText("body") ?? "").includes(nick)) return true;
  if (filter.reply) {
    const to = String(stanza.getChild("reply", NS_REPLY)?.attrs.to ?? "");
    if (to !== "" && bareJid(to).toLowerCase() === account) return true;
    const from = String(stanza.attrs.from ?? "");
    if (to !== "" && bareJid(to).toLowerCase() === bareJid(from).toLowerCase() && to.slice(to.indexOf("/") + 1) === nick && to.includes("/")) return true;
  }
  return false;
}

function ownNick(context: MatchContext): string | undefined {
  const from = String(context.stanza.attrs.from ?? "");
  return context.stanza.attrs.type === "groupchat" && from ? context.nickIn(bareJid(from).toLowerCase()) : undefined;
}
