import { base64ToBytes, type Bytes } from "./base64.js";
import { NS_FORWARD, NS_SCE } from "./namespaces.js";
import { PushError } from "./push-error.js";
import { attr, childrenOf, cloneElement, type Element, xml } from "./xml.js";

// Push 2.0, the ProtoXEP `push2.markdown` of prosody-modules' mod_push2 (P2S1–P2S12 in
// docs/conformance.md): the enable a client sends its own server, and the notification message
// the server sends the push service.

export const NS_PUSH2 = "urn:xmpp:push2:0";
/** The send profile for browsers: RFC 8291 payload of an XEP-0420 envelope, RFC 8292 JWT. */
export const PUSH2_SEND_SCE = "urn:xmpp:push2:send:sce+rfc8291+rfc8292:0";
/** The send profile with no content: the notification only wakes the client. */
export const PUSH2_SEND_NOTIFY_ONLY = "urn:xmpp:push2:send:notify-only:0";
/** The `<encrypted/>` of an RFC 8291 payload in a notification. */
export const NS_SCE_RFC8291 = "urn:xmpp:sce:rfc8291:0";

/** The default match profile, named on its own so that a client bundles this one URI, not the table. */
export const PUSH2_MATCH_IMPORTANT = "urn:xmpp:push2:match:important";

export const PUSH2_MATCH = {
  all: "urn:xmpp:push2:match:all",
  important: PUSH2_MATCH_IMPORTANT,
  archived: "urn:xmpp:push2:match:archived",
  archivedWithBody: "urn:xmpp:push2:match:archived-with-body",
} as const;

/** A match profile: one of PUSH2_MATCH's, or another URI (kept, it never matches here). */
export type Push2MatchProfile = string;

/** A chat listed in a match: from it, only messages that mention the user or reply to them push. */
export interface Push2ParsedFilter {
  /** A full, bare or domain JID the sender's JID is compared with. */
  readonly jid: string;
  readonly mention: boolean;
  readonly reply: boolean;
}

export interface Push2Jwt {
  /** `ES256` (RFC 8292); the only one this project signs with. */
  readonly alg: "ES256";
  /** The signing key, PKCS#8 DER (the `<jwt-key/>` text is its PEM body). */
  readonly key: Bytes;
  /** `<jwt-claim name/>`s, e.g. `aud`. */
  readonly claims: Readonly<Record<string, string>>;
}

export type Push2Send =
  | { readonly profile: typeof PUSH2_SEND_NOTIFY_ONLY }
  | {
      readonly profile: typeof PUSH2_SEND_SCE;
      /** The user agent's P-256 ECDH public key, raw uncompressed (65 bytes). */
      readonly uaPublic: Bytes;
      /** The 16-byte RFC 8291 auth secret. */
      readonly authSecret: Bytes;
      readonly jwt: Push2Jwt | undefined;
    };

export interface Push2Match {
  readonly profile: Push2MatchProfile;
  /** Seconds: no push while another session of the account was active this recently. */
  readonly grace: number | undefined;
  readonly filters: readonly Push2ParsedFilter[];
  readonly send: Push2Send;
}

export interface Push2Enable {
  /** The push service JID (a host, bare or full JID). */
  readonly service: string;
  /** Opaque to the server, echoed in every notification (a Web Push endpoint URL, for the relay). */
  readonly client: string;
  /** The matches with a send profile this server knows; mod_push2 drops the others too. */
  readonly matches: readonly Push2Match[];
}

const P256_POINT_BYTES = 65;
const AUTH_SECRET_BYTES = 16;
/** DER of id-ecPublicKey (1.2.840.10045.2.1) and prime256v1 (1.2.840.10045.3.1.7), as a PKCS#8 P-256 key holds them. */
const EC_PUBLIC_KEY_OID = [0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const P256_OID = [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];

/**
 * Reads an `<enable xmlns='urn:xmpp:push2:0'/>`. A missing or empty `<service/>` or `<client/>`,
 * or bad keys in a send profile, is `PushError('bad-request')` (modify), as mod_push2 answers.
 */
export function parsePush2Enable(enable: Element): Push2Enable {
  if (!enable.is("enable", NS_PUSH2)) throw new PushError("bad-request", "not a Push 2.0 enable");
  const service = enable.getChildText("service")?.trim();
  if (!service) throw new PushError("bad-request", "Missing service");
  const client = enable.getChildText("client")?.trim();
  if (!client) throw new PushError("bad-request", "Missing client");
  const matches: Push2Match[] = [];
  for (const match of childrenOf(enable, "match")) {
    const parsed = parseMatch(match);
    if (parsed) matches.push(parsed);
  }
  return { service, client, matches };
}

function parseMatch(match: Element): Push2Match | undefined {
  const profile = attr(match, "profile");
  if (!profile) throw new PushError("bad-request", "a <match/> needs a profile");
  const send = parseSend(match);
  if (!send) return undefined;
  const graceText = match.getChildText("grace")?.trim();
  let grace: number | undefined;
  if (graceText !== undefined && graceText !== "") {
    if (!/^\d{1,9}$/.test(graceText)) throw new PushError("bad-request", `grace '${graceText}' is not a number of seconds`);
    grace = Number(graceText);
  }
  const filters = childrenOf(match, "filter").map((filter): Push2ParsedFilter => {
    const jid = attr(filter, "jid");
    if (!jid) throw new PushError("bad-request", "a <filter/> needs a jid");
    return { jid, mention: filter.getChild("mention") !== undefined, reply: filter.getChild("reply") !== undefined };
  });
  return { profile, grace, filters, send };
}

function parseSend(match: Element): Push2Send | undefined {
  if (match.getChild("send", PUSH2_SEND_NOTIFY_ONLY)) return { profile: PUSH2_SEND_NOTIFY_ONLY };
  const send = match.getChild("send", PUSH2_SEND_SCE);
  if (!send) return undefined;
  const uaPublic = decodeKey(send, "ua-public");
  if (uaPublic.length !== P256_POINT_BYTES || uaPublic[0] !== 0x04) throw new PushError("bad-request", "ua-public is not a raw uncompressed P-256 public key");
  const authSecret = decodeKey(send, "auth-secret");
  if (authSecret.length !== AUTH_SECRET_BYTES) throw new PushError("bad-request", "auth-secret is not 16 octets");
  const alg = send.getChildText("jwt-alg")?.trim();
  if (!alg) return { profile: PUSH2_SEND_SCE, uaPublic, authSecret, jwt: undefined };
  if (alg !== "ES256") throw new PushError("bad-request", `jwt-alg '${alg}' is not supported (ES256 is)`);
  const key = decodeKey(send, "jwt-key");
  if (!looksLikeP256Pkcs8(key)) throw new PushError("bad-request", "jwt-key is not a PKCS#8 P-256 key");
  const claims: Record<string, string> = {};
  for (const claim of childrenOf(send, "jwt-claim")) {
    const name = attr(claim, "name");
    if (!name) throw new PushError("bad-request", "a <jwt-claim/> needs a name");
    claims[name] = claim.text();
  }
  return { profile: PUSH2_SEND_SCE, uaPublic, authSecret, jwt: { alg, key, claims } };
}

/** Base64 in either alphabet; a PEM body's line breaks are allowed. */
function decodeKey(send: Element, name: string): Bytes {
  const text = send.getChildText(name)?.replace(/\s+/g, "");
  const bytes = text ? base64ToBytes(text) : undefined;
  if (!bytes || bytes.length === 0) throw new PushError("bad-request", `${name} is missing or not base64`);
  return bytes;
}

/** A DER SEQUENCE naming an EC key on P-256: the synchronous check; Web Crypto's import is the real one. */
function looksLikeP256Pkcs8(der: Bytes): boolean {
  return der[0] === 0x30 && contains(der, EC_PUBLIC_KEY_OID) && contains(der, P256_OID);
}

function contains(haystack: Bytes, needle: readonly number[]): boolean {
  outer: for (let start = 0; start + needle.length <= haystack.length; start++) {
    for (let index = 0; index < needle.length; index++) if (haystack[start + index] !== needle[index]) continue outer;
    return true;
  }
  return false;
}

export type Push2Priority = "high" | "normal" | "low";

export interface Push2NotificationContent {
  readonly client: string;
  readonly priority: Push2Priority;
  /** An XEP-0353 call: `<voip/>`. */
  readonly voip?: boolean;
  /** The base64 RFC 8291 body (`<encrypted><payload/>`). */
  readonly payload?: string;
  /** The signed JWT and the base64 raw public key of the key that signed it. */
  readonly jwt?: { readonly token: string; readonly key: string };
}

/** `<notification xmlns='urn:xmpp:push2:0'>` with `<client/>`, `<priority/>`, `[<voip/>]`, `[<encrypted/>]`, `[<jwt/>]`. */
export function buildPush2Notification(content: Push2NotificationContent): Element {
  return xml(
    "notification",
    { xmlns: NS_PUSH2 },
    xml("client", {}, content.client),
    xml("priority", {}, content.priority),
    content.voip ? xml("voip") : undefined,
    content.payload === undefined ? undefined : xml("encrypted", { xmlns: NS_SCE_RFC8291 }, xml("payload", {}, content.payload)),
    content.jwt === undefined ? undefined : xml("jwt", { key: content.jwt.key }, content.jwt.token),
  );
}

/** What a relay reads from a notification; undefined when `element` is none. */
export function parsePush2Notification(element: Element): Push2NotificationContent | undefined {
  const notification = element.is("notification", NS_PUSH2) ? element : element.getChild("notification", NS_PUSH2);
  if (!notification) return undefined;
  const client = notification.getChildText("client")?.trim();
  if (!client) return undefined;
  const priorityText = notification.getChildText("priority")?.trim();
  const priority: Push2Priority = priorityText === "high" || priorityText === "low" ? priorityText : "normal";
  const payload = notification.getChild("encrypted", NS_SCE_RFC8291)?.getChildText("payload")?.trim();
  const jwt = notification.getChild("jwt");
  const key = jwt ? attr(jwt, "key") : undefined;
  return {
    client,
    priority,
    voip: notification.getChild("voip") !== undefined,
    payload: payload || undefined,
    jwt: jwt && key ? { token: jwt.text().trim(), key } : undefined,
  };
}

/**
 * XEP-0420's `<envelope><content><forwarded xmlns='urn:xmpp:forward:0'>stanza</forwarded></content><rpad/></envelope>`
 * around a copy of `stanza` (in jabber:client).
 */
export function buildSceEnvelope(stanza: Element, rpad?: string): Element {
  const copy = cloneElement(stanza);
  copy.attrs.xmlns = "jabber:client";
  return xml("envelope", { xmlns: NS_SCE }, xml("content", {}, xml("forwarded", { xmlns: NS_FORWARD }, copy)), rpad ? xml("rpad", {}, rpad) : undefined);
}

/** The stanza inside an envelope built by `buildSceEnvelope`, or undefined. */
export function envelopeStanza(envelope: Element): Element | undefined {
  if (!envelope.is("envelope", NS_SCE)) return undefined;
  return envelope.getChild("content")?.getChild("forwarded", NS_FORWARD)?.getChildElements()[0];
}
