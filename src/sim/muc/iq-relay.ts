import { type Element, NS, PushError, toJid, xml } from "../../protocol/index.js";
import { type Deadline, Deadlines } from "../deadlines.js";
import type { MucContext } from "./context.js";
import type { Room } from "./room.js";

/** How long a relayed request waits for its reply before the service forgets it (ours: Prosody keeps no state). */
export const RELAYED_IQ_TIMEOUT = 60_000;

/** Payloads a user's server answers for its user, so Prosody sends them to the target's bare JID. */
const FOR_THE_ACCOUNT = new Set(["vcard-temp", "urn:ietf:params:xml:ns:vcard-4.0", "http://jabber.org/protocol/pubsub"]);

interface Relayed {
  readonly room: string;
  /** The session that asked, and its id, for the reply. */
  readonly sender: string;
  readonly senderId: unknown;
  /** The target's session the request went to; `addressed` is it, or its bare JID. */
  readonly target: string;
  readonly addressed: string;
  readonly deadline: Deadline;
}

/**
 * IQs between occupants (XEP-0045 §7.5, Prosody's `handle_iq_to_occupant`, M10): a request to
 * `room/nick` goes to the occupant's primary session from the sender's room JID, under an id of
 * the service's; the reply goes back to the one session that asked, from the target's room JID,
 * with the id it used. Prosody keeps nothing, packing the route into the id; we keep a table of
 * pending requests instead, bounded by `limit` (one more is `wait/resource-constraint`) and
 * {@link RELAYED_IQ_TIMEOUT}, after which the request is forgotten unanswered, as Prosody would
 * leave it, and a later reply is dropped.
 */
export class IqRelay {
  readonly #pending = new Map<string, Relayed>();
  readonly #deadlines: Deadlines;
  #counter = 0;

  constructor(
    private readonly context: MucContext,
    private readonly limit: number,
    timeout = RELAYED_IQ_TIMEOUT,
  ) {
    this.#deadlines = new Deadlines(timeout);
  }

  /** Requests waiting for their replies. */
  get pending(): number {
    return this.#pending.size;
  }

  /** A get or set to `room/nick`; a refusal throws, for the service's error reply. */
  request(room: Room | undefined, iq: Element): void {
    const from = String(iq.attrs.from);
    const nick = toJid(String(iq.attrs.to)).resource;
    if (!room) throw new PushError("item-not-found", "no such room", { type: "cancel" });
    const sender = room.occupantByJid(from);
    if (!sender) throw new PushError("not-acceptable", "only occupants may send IQs to occupants", { type: "cancel" });
    const target = room.occupants.get(nick);
    if (!target) throw new PushError("item-not-found", `no occupant '${nick}'`, { type: "cancel" });
    const payload = iq.getChildElements()[0];
    // XEP-0410 self-ping: the room answers for the occupant, so that a client learns it is still joined.
    if (target === sender && iq.attrs.type === "get" && payload?.name === "ping" && payload.attrs.xmlns === NS.ping) {
      this.context.send(xml("iq", { type: "result", id: iq.attrs.id, from: iq.attrs.to, to: from }));
      return;
    }
    if (this.#pending.size >= this.limit) {
      throw new PushError("resource-constraint", `the service relays at most ${this.limit} IQs at a time`, { type: "wait" });
    }
    const id = `muc-iq-${++this.#counter}`;
    const addressed = FOR_THE_ACCOUNT.has(String(payload?.attrs.xmlns)) ? target.bare : target.jid;
    const deadline = this.#deadlines.add(() => this.#pending.delete(id));
    this.#pending.set(id, { room: room.jid, sender: from, senderId: iq.attrs.id, target: target.jid, addressed, deadline });
    this.context.send(xml("iq", { ...iq.attrs, id, from: `${room.jid}/${sender.nick}`, to: addressed }, ...iq.getChildElements()));
  }

  /** A result or error to `room/nick`: the reply to a relayed request goes back, anything else is dropped. */
  answered(reply: Element): void {
    const id = String(reply.attrs.id ?? "");
    const relayed = this.#pending.get(id);
    // Only the session asked (or its account, for what its server answers) may reply.
    if (!relayed || (reply.attrs.from !== relayed.target && reply.attrs.from !== relayed.addressed)) return;
    this.#pending.delete(id);
    relayed.deadline.settle();
    const to = toJid(String(reply.attrs.to));
    const room = this.context.rooms.get(relayed.room);
    if (!room || to.bare().toString() !== room.jid) return;
    // As Prosody: both must still be in the room, the asker under the nick the request came from.
    const target = room.occupantByJid(relayed.target);
    if (!target || !room.occupants.get(to.resource)?.sessions.has(relayed.sender)) return;
    const attrs = { ...reply.attrs, from: `${room.jid}/${target.nick}`, to: relayed.sender, id: relayed.senderId as string | undefined };
    if (attrs.id === undefined) delete attrs.id;
    this.context.send(xml("iq", attrs, ...reply.getChildElements()));
  }
}
