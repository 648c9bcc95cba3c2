import { PushError } from "./errors.js";
import { attr, childrenOf, type Element, xml } from "./xml.js";

export { parseTigaseNotification, type TigaseNotification } from "./tigase-notification.js";

/**
 * Tigase's XEP-0357 extensions (tigase-server `tigase.xmpp.impl.push`, TigaseSwift
 * `TigasePushNotificationsModule`): the account advertises each namespace in its disco#info,
 * and the client adds the matching child (or attribute) to `<enable>` (T5–T11).
 */
export const TIGASE_NS = {
  encrypt: "tigase:push:encrypt:0",
  /** Advertised next to `encrypt` for the one algorithm there is. */
  aes128gcm: "tigase:push:encrypt:aes-128-gcm",
  ignoreUnknown: "tigase:push:filter:ignore-unknown:0",
  muted: "tigase:push:filter:muted:0",
  groupchat: "tigase:push:filter:groupchat:0",
  away: "tigase:push:away:0",
  priority: "tigase:push:priority:0",
  jingle: "tigase:push:jingle:0",
} as const;

/** One room of the groupchat filter; rooms not listed are never pushed (T8). */
export interface TigaseGroupchatRoom {
  /** The room's bare JID. */
  room: string;
  allow: "always" | "mentioned";
  /** With `mentioned`: the nick whose mention in the body triggers a push. */
  nick?: string;
}

/** What a Tigase-style `<enable>` asks of the server beyond XEP-0357. */
export interface TigaseEnableOptions {
  /** `aes-128-gcm` with this base64 16-byte key; `maxSize`: the payload limit in bytes (Tigase's default 3000). */
  encrypt?: { key: string; maxSize?: number };
  /** No push for senders outside the roster. */
  ignoreUnknown?: boolean;
  /** Bare JIDs never pushed for. */
  muted?: readonly string[];
  groupchat?: readonly TigaseGroupchatRoom[];
  /** Push also while the session is away (`away='true'` on `<enable>`). */
  away?: boolean;
  priority?: boolean;
  /** Push for Jingle call proposals (VoIP pushes). */
  jingle?: boolean;
}

/**
 * Adds to `enable` the extensions asked for that the account advertises, the way TigaseSwift
 * writes them; returns the namespaces it used. Unadvertised ones are left out (T4).
 */
export function applyTigaseEnable(enable: Element, options: TigaseEnableOptions, advertised: readonly string[]): string[] {
  const has = (ns: string) => advertised.includes(ns);
  const used: string[] = [];
  if (options.encrypt && has(TIGASE_NS.encrypt) && has(TIGASE_NS.aes128gcm)) {
    enable.append(xml("encrypt", { xmlns: TIGASE_NS.encrypt, alg: "aes-128-gcm", "max-size": options.encrypt.maxSize }, options.encrypt.key));
    used.push(TIGASE_NS.encrypt);
  }
  if (options.ignoreUnknown && has(TIGASE_NS.ignoreUnknown)) {
    enable.append(xml("ignore-unknown", { xmlns: TIGASE_NS.ignoreUnknown }));
    used.push(TIGASE_NS.ignoreUnknown);
  }
  // TigaseSwift sends no <muted/> for an empty list.
  if (options.muted?.length && has(TIGASE_NS.muted)) {
    enable.append(xml("muted", { xmlns: TIGASE_NS.muted }, ...options.muted.map((jid) => xml("item", { jid }))));
    used.push(TIGASE_NS.muted);
  }
  if (options.groupchat && has(TIGASE_NS.groupchat)) {
    enable.append(xml("groupchat", { xmlns: TIGASE_NS.groupchat }, ...options.groupchat.map(roomElement)));
    used.push(TIGASE_NS.groupchat);
  }
  if (options.away && has(TIGASE_NS.away)) {
    enable.attrs.away = "true";
    used.push(TIGASE_NS.away);
  }
  if (options.priority && has(TIGASE_NS.priority)) {
    enable.append(xml("priority", { xmlns: TIGASE_NS.priority }));
    used.push(TIGASE_NS.priority);
  }
  if (options.jingle && has(TIGASE_NS.jingle)) {
    enable.append(xml("jingle", { xmlns: TIGASE_NS.jingle }));
    used.push(TIGASE_NS.jingle);
  }
  return used;
}

function roomElement(room: TigaseGroupchatRoom): Element {
  if (room.allow === "mentioned" && !room.nick) throw new PushError("bad-request", `groupchat filter: 'mentioned' for ${room.room} needs a nick`);
  return xml("room", { jid: room.room, allow: room.allow, nick: room.allow === "mentioned" ? room.nick : undefined });
}

/**
 * Reads the Tigase extensions of an `<enable>`, as a server stores them. A `<room>` without a
 * known `allow`, or `mentioned` without a nick, is skipped: Tigase's GroupchatFilter pushes
 * nothing for it (T8).
 */
export function parseTigaseEnable(enable: Element): TigaseEnableOptions {
  const options: TigaseEnableOptions = {};
  const encrypt = enable.getChild("encrypt", TIGASE_NS.encrypt);
  if (encrypt) {
    if (attr(encrypt, "alg")?.toLowerCase() !== "aes-128-gcm") throw new PushError("feature-not-implemented", "only alg='aes-128-gcm' is known");
    const key = encrypt.text().trim();
    if (!key) throw new PushError("bad-request", "<encrypt/> without a key");
    const maxSize = attr(encrypt, "max-size");
    if (maxSize !== undefined && !/^\d+$/.test(maxSize)) throw new PushError("bad-request", `max-size '${maxSize}' is not a number`);
    options.encrypt = maxSize === undefined ? { key } : { key, maxSize: Number(maxSize) };
  }
  if (enable.getChild("ignore-unknown", TIGASE_NS.ignoreUnknown)) options.ignoreUnknown = true;
  const muted = enable.getChild("muted", TIGASE_NS.muted);
  if (muted) options.muted = childrenOf(muted, "item").flatMap((item) => attr(item, "jid") ?? []);
  const groupchat = enable.getChild("groupchat", TIGASE_NS.groupchat);
  if (groupchat) options.groupchat = childrenOf(groupchat, "room").flatMap(parseRoom);
  if (attr(enable, "away") === "true") options.away = true;
  if (enable.getChild("priority", TIGASE_NS.priority)) options.priority = true;
  if (enable.getChild("jingle", TIGASE_NS.jingle)) options.jingle = true;
  return options;
}

function parseRoom(room: Element): TigaseGroupchatRoom[] {
  const jid = attr(room, "jid");
  const allow = attr(room, "allow");
  const nick = attr(room, "nick");
  if (!jid) return [];
  if (allow === "always") return [{ room: jid, allow }];
  if (allow === "mentioned" && nick) return [{ room: jid, allow, nick }];
  return [];
}

/** `<encrypted xmlns='tigase:push:encrypt:0' iv>`: base64 IV and base64 of ciphertext ‖ 16-byte tag (T12). */
export interface TigaseEncrypted {
  iv: string;
  payload: string;
  /** `voip` for a Jingle call proposal. */
  type?: string;
}

export function buildEncrypted(encrypted: TigaseEncrypted): Element {
  return xml("encrypted", { xmlns: TIGASE_NS.encrypt, type: encrypted.type, iv: encrypted.iv }, encrypted.payload);
}

export function parseEncrypted(element: Element): TigaseEncrypted {
  if (!element.is("encrypted", TIGASE_NS.encrypt)) {
    throw new PushError("bad-request", `expected <encrypted xmlns='${TIGASE_NS.encrypt}'>, got <${element.name}>`, { stanza: element });
  }
  const iv = attr(element, "iv");
  const payload = element.text().trim();
  if (!iv || !payload) throw new PushError("bad-request", "<encrypted/> without iv or payload", { stanza: element });
  const type = attr(element, "type");
  return type === undefined ? { iv, payload } : { iv, payload, type };
}
