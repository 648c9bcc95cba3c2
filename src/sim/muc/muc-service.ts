import { type Element, Emitter, errorReplyFor, PushError, toJid } from "../../protocol/index.js";
import { type Component, type SendStanza, sendThrough } from "../component.js";
import type { IqRouter } from "../iq-router.js";
import { Hooks } from "../xmpp-server/hooks.js";
import type { MucContext, MucHookEvents, ResolvedMucOptions } from "./context.js";
import { type MucIqContext, roomIqRouter, serviceIqRouter } from "./iq.js";
import { IqRelay } from "./iq-relay.js";
import { handleMessage } from "./messages.js";
import { offlineDelivery } from "./offline-delivery.js";
import { handlePresence } from "./presence.js";
import { domainPushes, MucPushBook, roomPushes } from "./push.js";
import type { Room } from "./room.js";
import { DEFAULT_RECORD_LIMIT, keepLatest, positiveLimit } from "../recent-records.js";
import type { MucPush, MucRoomInfo, MucServiceEvents, MucServiceOptions } from "./types.js";

/**
 * An XEP-0045 multi-user chat service, attached to the reference server as a component at its
 * own domain (`server.attach(createMucService({ jid: "conference.example.test" }))`).
 *
 * A component rather than a module of the reference server: Prosody runs MUC as a component
 * host of its own (`Component "conference.example.test" "muc"`), which reaches users only by
 * routing stanzas through the server, exactly as `attach()` routes the app server. A room's
 * messages to an absent member thus travel the same way as any other server's would, and the
 * member's server alone decides about storing and pushing them. The service's push paths are
 * parts hooked to its room events, named after Prosody's (`muc-add-history`, …), as Prosody's
 * MUC modules are.
 */
export class MucService extends Emitter<MucServiceEvents> implements Component {
  readonly jid: string;
  /** The latest `pushLimit` pushes the service published (default 10 000), oldest first; `published` fires for every one. */
  readonly pushes: MucPush[] = [];
  readonly #context: MucContext;
  readonly #book: MucPushBook;
  readonly #roomRouter: IqRouter<MucIqContext>;
  readonly #serviceRouter: IqRouter<MucIqContext>;
  readonly #relay: IqRelay;
  #send: SendStanza | undefined;

  constructor(options: MucServiceOptions) {
    super();
    this.jid = toJid(options.jid).toString();
    const resolved: ResolvedMucOptions = {
      maxRooms: 1000,
      maxOccupants: 100,
      maxHistory: 20,
      maxAffiliations: 1000,
      membersOnly: false,
      offlineDelivery: false,
      roomPush: true,
      domainPush: true,
      pushBody: "New Message!",
      pushSender: false,
      maxPushRegistrations: 5,
      maxRelayedIqs: 1000,
      ...options,
      pushLimit: positiveLimit("pushLimit", options.pushLimit, DEFAULT_RECORD_LIMIT),
      jid: this.jid,
    };
    this.#context = {
      options: resolved,
      rooms: new Map<string, Room>(),
      hooks: new Hooks<MucHookEvents>(),
      send: (stanza) => this.#deliver(stanza),
      emit: (name, ...args) => this.emit(name, ...args),
    };
    this.#book = new MucPushBook(this.#context);
    this.#roomRouter = roomIqRouter(this.#context, this.#book);
    this.#serviceRouter = serviceIqRouter(this.#context, this.#book);
    this.#relay = new IqRelay(this.#context, resolved.maxRelayedIqs);
    this.on("published", (push) => keepLatest(this.pushes, push, resolved.pushLimit));
    if (resolved.offlineDelivery) offlineDelivery(this.#context);
    this.#context.hooks.hook("muc-add-history", ({ room, stanza, sender }) => {
      if (resolved.roomPush) roomPushes(this.#book, room, stanza, sender);
      if (resolved.domainPush) domainPushes(this.#book, this.jid, room, stanza, sender);
    });
  }

  room(jid: string): MucRoomInfo | undefined {
    return this.#context.rooms.get(jid.toLowerCase())?.info();
  }

  connect(send: SendStanza): () => void {
    this.#send = send;
    return () => {
      if (this.#send === send) this.#send = undefined;
    };
  }

  /** Every stanza for the service's domain; bad input gets an error reply or is dropped, never thrown. */
  receive(stanza: Element): void {
    try {
      this.#dispatch(stanza);
    } catch (error) {
      if (!(error instanceof PushError)) this.emit("internal-error", error, stanza);
      if (stanza.name === "iq" && (stanza.attrs.type === "get" || stanza.attrs.type === "set")) this.#deliver(errorReplyFor(stanza, error));
    }
  }

  #dispatch(stanza: Element): void {
    if (typeof stanza.attrs.from !== "string") return;
    const to = toJid(String(stanza.attrs.to ?? this.jid));
    if (stanza.name === "presence") return to.local ? handlePresence(this.#context, stanza) : undefined;
    if (stanza.name === "message") return to.local ? handleMessage(this.#context, stanza) : undefined;
    if (stanza.name !== "iq") return;
    const type = stanza.attrs.type;
    if (type === "result" || type === "error") {
      if (to.resource) this.#relay.answered(stanza);
      else this.#book.answered(stanza);
      return;
    }
    if (to.resource) return this.#relay.request(this.#context.rooms.get(to.bare().toString()), stanza);
    const router = to.local ? this.#roomRouter : this.#serviceRouter;
    const reply = router.handle(stanza, { from: stanza.attrs.from, room: to.local ? this.#context.rooms.get(to.toString()) : undefined });
    if (reply instanceof Promise) void reply.then((answer) => this.#deliver(answer));
    else this.#deliver(reply);
  }

  #deliver(stanza: Element): boolean {
    return sendThrough(this.#send, stanza);
  }
}

/**
 * Starts an XEP-0045 MUC service to attach to the reference server; see {@link MucServiceOptions}
 * for its bounds and the three ways it pushes for group chats.
 */
export function createMucService(options: MucServiceOptions): MucService {
  return new MucService(options);
}
