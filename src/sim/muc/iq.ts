import {
  buildDiscoInfo,
  buildDiscoItems,
  buildForm,
  type DataForm,
  findForm,
  getValue,
  NS,
  parseBoolean,
  PushError,
  toJid,
  xml,
} from "../../protocol/index.js";
import { createIqRouter, type IqRouter } from "../iq-router.js";
import { type MucContext, NS_MUC, NS_MUC_ADMIN, NS_MUC_OWNER } from "./context.js";
import type { MucPushBook } from "./push.js";
import type { Room } from "./room.js";
import type { MucAffiliation } from "./types.js";

export interface MucIqContext {
  readonly from: string;
  /** The room the request is for; undefined for the service's domain. */
  readonly room: Room | undefined;
}

const AFFILIATIONS: readonly MucAffiliation[] = ["owner", "admin", "member", "outcast"];

/** The IQ requests a room answers: disco#info (§6.4), the member list (§9.5, §10.5), configuration (§10.2), XEP-0357 (M5). */
export function roomIqRouter(context: MucContext, book: MucPushBook): IqRouter<MucIqContext> {
  const roomOf = (request: MucIqContext): Room => {
    if (!request.room) throw new PushError("item-not-found", "no such room", { type: "cancel" });
    return request.room;
  };
  const router = createIqRouter<MucIqContext>()
    .get(NS.discoInfo, "query", ({ context: request }) => {
      const room = roomOf(request);
      return buildDiscoInfo({
        identities: [{ category: "conference", type: "text", name: toJid(room.jid).local }],
        features: [
          NS_MUC,
          room.membersOnly ? "muc_membersonly" : "muc_open",
          "muc_persistent",
          "muc_semianonymous",
          ...(context.options.roomPush ? [NS.push] : []),
        ],
        forms: [],
      });
    })
    .get(NS_MUC_ADMIN, "query", ({ payload, context: request }) => {
      const room = roomOf(request);
      requireAffiliation(room, request.from, ["owner", "admin"]);
      const wanted = payload.getChild("item")?.attrs.affiliation;
      if (!AFFILIATIONS.includes(wanted as MucAffiliation)) throw new PushError("bad-request", "ask for one affiliation", { type: "modify" });
      const items = [...room.affiliations]
        .filter(([, data]) => data.affiliation === wanted)
        .map(([jid, data]) => xml("item", { affiliation: data.affiliation, jid, ...(data.nick === undefined ? {} : { nick: data.nick }) }));
      return xml("query", { xmlns: NS_MUC_ADMIN }, ...items);
    })
    .set(NS_MUC_ADMIN, "query", ({ payload, context: request }) => {
      const room = roomOf(request);
      requireAffiliation(room, request.from, ["owner"]);
      const items = payload.getChildren("item");
      if (items.length === 0) throw new PushError("bad-request", "no items", { type: "modify" });
      const changes = items.map((item) => {
        const affiliation = String(item.attrs.affiliation ?? "");
        if (affiliation !== "none" && !AFFILIATIONS.includes(affiliation as MucAffiliation)) {
          throw new PushError("bad-request", `unknown affiliation '${affiliation}'`, { type: "modify" });
        }
        if (typeof item.attrs.jid !== "string") throw new PushError("bad-request", "an affiliation item needs a jid", { type: "modify" });
        const nick = typeof item.attrs.nick === "string" && item.attrs.nick !== "" ? item.attrs.nick : undefined;
        return { jid: toJid(item.attrs.jid).bare().toString(), affiliation: affiliation as MucAffiliation | "none", nick };
      });
      for (const change of changes) room.setAffiliation(change.jid, change.affiliation, change.nick);
      return undefined;
    })
    .get(NS_MUC_OWNER, "query", ({ context: request }) => {
      const room = roomOf(request);
      requireAffiliation(room, request.from, ["owner"]);
      return xml("query", { xmlns: NS_MUC_OWNER }, buildForm(configForm(room)));
    })
    .set(NS_MUC_OWNER, "query", ({ payload, context: request }) => {
      const room = roomOf(request);
      requireAffiliation(room, request.from, ["owner"]);
      const form = findForm(payload, "http://jabber.org/protocol/muc#roomconfig");
      if (!form) throw new PushError("bad-request", "a muc#roomconfig form is needed", { type: "modify" });
      const membersOnly = parseBoolean(getValue(form, "muc#roomconfig_membersonly"));
      if (membersOnly !== undefined) room.membersOnly = membersOnly;
      return undefined;
    });
  if (context.options.roomPush) {
    router
      .set(NS.push, "enable", ({ payload, context: request }) => {
        const room = roomOf(request);
        // Only the room's affiliated users are pushed to, so only they may enable (M5).
        requireAffiliation(room, request.from, ["owner", "admin", "member"]);
        return book.enable(room.jid, request.from, payload);
      })
      .set(NS.push, "disable", ({ payload, context: request }) => book.disable(roomOf(request).jid, request.from, payload));
  }
  return router;
}

/** The IQ requests the service's domain answers: disco (§6.1, §6.3) and, as mod_muc_cloud_notify, XEP-0357 (M6). */
export function serviceIqRouter(context: MucContext, book: MucPushBook): IqRouter<MucIqContext> {
  const domain = context.options.jid;
  const router = createIqRouter<MucIqContext>()
    .get(NS.discoInfo, "query", () =>
      buildDiscoInfo({
        identities: [{ category: "conference", type: "text", name: "Chatrooms" }],
        features: [NS.discoInfo, NS.discoItems, NS_MUC, ...(context.options.domainPush ? [NS.push] : [])],
        forms: [],
      }),
    )
    .get(NS.discoItems, "query", () => buildDiscoItems({ items: [...context.rooms.keys()].map((jid) => ({ jid })) }));
  if (context.options.domainPush) {
    router
      .set(NS.push, "enable", ({ payload, context: request }) => book.enable(domain, request.from, payload))
      .set(NS.push, "disable", ({ payload, context: request }) => book.disable(domain, request.from, payload));
  }
  return router;
}

function requireAffiliation(room: Room, from: string, allowed: readonly MucAffiliation[]): void {
  const affiliation = room.affiliationOf(toJid(from).bare().toString());
  if (!allowed.includes(affiliation as MucAffiliation)) throw new PushError("forbidden", `only ${allowed.join(" or ")} may do this`, { type: "auth" });
}

function configForm(room: Room): DataForm {
  return {
    type: "form",
    formType: "http://jabber.org/protocol/muc#roomconfig",
    fields: [{ var: "muc#roomconfig_membersonly", type: "boolean", values: [room.membersOnly ? "1" : "0"] }],
  };
}
