import { bareJid, type Element } from "../../../../protocol/index.js";
import { TIGASE } from "./namespaces.js";
import { isOmemo, jingleMessageOf, OMEMO_PLACEHOLDER, rawBodyOf } from "./stanza.js";

/** The plaintext of an encrypted Tigase push, as EncryptedPushNotificationExtension builds it (TS3). */
export interface TigasePayload {
  unread: number;
  /** The sender's bare JID; its full JID for a call. */
  sender: string;
  type?: "chat" | "groupchat" | "call";
  message?: string;
  /** A groupchat sender's nick (the MUC occupant resource, or MIX's `<nick/>`). */
  nickname?: string;
  /** A call's XEP-0353 id, with its `media` and `features`. */
  sid?: string;
  media?: string[];
  features?: string[];
}

/** Tigase's default `max-size`, in bytes, when the `<encrypt/>` gives none. */
export const DEFAULT_MAX_SIZE = 3000;

/**
 * What Tigase encrypts for `stanza`; undefined without a stanza (a "messages fetched" push keeps
 * its summary form). The body is cut to ((max-size − 64) × 6 / 8) bytes of UTF-8, whole code points.
 */
export function tigasePayload(stanza: Element | undefined, unread: number, maxSize: number): TigasePayload | undefined {
  if (!stanza) return undefined;
  const from = String(stanza.attrs.from ?? "");
  const payload: TigasePayload = { unread, sender: bareJid(from) };
  const call = jingleMessageOf(stanza);
  if (stanza.name === "message") {
    if (stanza.attrs.type === "groupchat") {
      payload.type = "groupchat";
      const nickname = groupchatNick(stanza, from);
      if (nickname !== undefined) payload.nickname = nickname;
    } else if (call) {
      payload.type = "call";
      payload.sender = from;
      if (typeof call.attrs.id === "string") payload.sid = call.attrs.id;
      payload.media = call.getChildren("description", TIGASE.jingleRtp).map((description) => String(description.attrs.media ?? ""));
      payload.features = call.getChildren("feature").map((feature) => String(feature.attrs.xmlns ?? ""));
    } else {
      payload.type = "chat";
    }
  }
  const body = isOmemo(stanza) ? OMEMO_PLACEHOLDER : rawBodyOf(stanza);
  if (body !== undefined) payload.message = trimToBytes(body, Math.floor(((maxSize - 64) * 6) / 8));
  return payload;
}

/** A MIX message's `<nick/>`, else the occupant resource of the room JID. */
export function groupchatNick(stanza: Element, from: string): string | undefined {
  const mix = stanza.getChild("mix", TIGASE.mix);
  if (mix) return mix.getChild("nick")?.text() || undefined;
  const slash = from.indexOf("/");
  return slash === -1 ? undefined : from.slice(slash + 1);
}

/** The longest prefix of `text` whose UTF-8 fits in `limit` bytes, never splitting a code point. */
export function trimToBytes(text: string, limit: number): string {
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = utf8Length(char.codePointAt(0) ?? 0);
    if (bytes + size > limit) return text.slice(0, end);
    bytes += size;
    end += char.length;
  }
  return text;
}

function utf8Length(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  if (codePoint < 0x10000) return 3;
  return 4;
}
