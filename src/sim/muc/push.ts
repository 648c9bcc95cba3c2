import {
  bareJid,
  buildForm,
  buildIq,
  buildNotification,
  buildPublish,
  buildSummary,
  type Element,
  parseDisable,
  parseEnable,
  PushError,
  randomHex,
  type Summary,
} from "../../protocol/index.js";
import type { MucContext } from "./context.js";
import type { Occupant } from "./occupant.js";
import type { Room } from "./room.js";
import type { MucPush } from "./types.js";

interface Target {
  readonly jid: string;
  readonly node: string;
  readonly publishOptions?: Element;
}

/**
 * The XEP-0357 registrations made at the MUC service: at a room (M5) or at the service's domain
 * (M6), by the enabling user's bare JID. Each entity acts as the user's server for its pushes.
 */
export class MucPushBook {
  readonly #targets = new Map<string, Map<string, Target[]>>();
  readonly #idPrefix = `muc-push-${randomHex(4)}-`;
  #counter = 0;
  readonly #pending = new Map<string, MucPush>();

  constructor(private readonly context: MucContext) {}

  /** `<enable/>` at `at` (a room or the domain) from `from`; returns nothing for an empty result. */
  enable(at: string, from: string, payload: Element): undefined {
    const enable = parseEnable(payload);
    if (!enable.node) throw new PushError("bad-request", "enable without node", { type: "modify" });
    const user = bareJid(from);
    const byUser = this.#targets.get(at) ?? new Map<string, Target[]>();
    const kept = (byUser.get(user) ?? []).filter((target) => !(target.jid === enable.jid && target.node === enable.node));
    // The newest first; the oldest beyond the limit go, as mod_muc_cloud_notify's reduce_table.
    const next = [{ jid: enable.jid, node: enable.node, ...(enable.publishOptions ? { publishOptions: enable.publishOptions } : {}) }, ...kept];
    byUser.set(user, next.slice(0, this.context.options.maxPushRegistrations));
    this.#targets.set(at, byUser);
    return undefined;
  }

  disable(at: string, from: string, payload: Element): undefined {
    const disable = parseDisable(payload);
    const user = bareJid(from);
    const byUser = this.#targets.get(at);
    const left = (byUser?.get(user) ?? []).filter((target) => !(target.jid === disable.jid && (!disable.node || target.node === disable.node)));
    if (left.length > 0) byUser?.set(user, left);
    else byUser?.delete(user);
    return undefined;
  }

  targets(at: string, user: string): readonly Target[] {
    return this.#targets.get(at)?.get(user) ?? [];
  }

  /** Publishes one notification for `stanza` to each of `user`'s registrations at `at`, from `at`. */
  publish(path: MucPush["path"], at: string, room: Room, user: string, stanza: Element): void {
    const summary = summaryOf(this.context, stanza);
    for (const target of this.targets(at, user)) {
      const id = this.#idPrefix + ++this.#counter;
      const publish = buildIq(
        { type: "set", from: at, to: target.jid, id },
        buildPublish({
          node: target.node,
          payload: buildNotification({ extensions: [buildForm(buildSummary(summary))] }),
          ...(target.publishOptions ? { publishOptions: target.publishOptions } : {}),
        }),
      );
      const push: MucPush = { path, member: user, room: room.jid, jid: target.jid, node: target.node, publish };
      this.#pending.set(id, push);
      if (this.#pending.size > 1000) this.#pending.delete(this.#pending.keys().next().value!);
      this.context.send(publish);
      this.context.emit("published", push);
    }
  }

  /** A push service's answer to a publish; true when it was one. */
  answered(iq: Element): boolean {
    const push = this.#pending.get(String(iq.attrs.id ?? ""));
    if (!push) return false;
    this.#pending.delete(String(iq.attrs.id));
    if (iq.attrs.type === "error") this.context.emit("publish-error", push, iq);
    return true;
  }
}

/** mod_muc_cloud_notify's summary: message-count 1, the body as configured, the occupant as sender when asked. */
function summaryOf(context: MucContext, stanza: Element): Summary {
  const summary: Summary = { messageCount: 1 };
  const { pushBody, pushSender } = context.options;
  const body = stanza.getChildText("body");
  if (pushSender && stanza.attrs.from) summary.lastMessageSender = String(stanza.attrs.from);
  if (pushBody === true && body) summary.lastMessageBody = body;
  else if (typeof pushBody === "string" && body) summary.lastMessageBody = pushBody;
  return summary;
}

/** M5: a member who enabled push on the room and is not in it gets a push for each message with a body but their own. */
export function roomPushes(book: MucPushBook, room: Room, stanza: Element, sender: Occupant): void {
  if (!stanza.getChildText("body")) return;
  for (const user of room.affiliations.keys()) {
    if (user === sender.bare || room.hasJoined(user)) continue;
    book.publish("room", room.jid, room, user, stanza);
  }
}

/**
 * M6, mod_muc_cloud_notify's `muc-add-history`: an XEP-0372 mention (`<reference type='mention'
 * begin end>` into the body) of a reserved nick whose member is not in the room pushes to that
 * member's registrations at the domain; one push per message, for the first such mention.
 */
export function domainPushes(book: MucPushBook, domain: string, room: Room, stanza: Element, sender: Occupant): void {
  const body = stanza.getChildText("body");
  if (!body) return;
  const characters = [...body];
  for (const reference of stanza.getChildren("reference", "urn:xmpp:reference:0")) {
    const begin = Number(reference.attrs.begin);
    const end = Number(reference.attrs.end);
    if (reference.attrs.type !== "mention" || !Number.isInteger(begin) || !Number.isInteger(end) || begin < 0 || end <= begin) continue;
    const nick = characters.slice(begin, end).join("");
    const member = room.memberByNick(nick);
    if (member === undefined || member === sender.bare || room.occupants.has(nick)) continue;
    book.publish("domain", domain, room, member, stanza);
    return;
  }
}
