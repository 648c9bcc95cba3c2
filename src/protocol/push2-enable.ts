import { bytesToBase64 } from "./base64.js";
import { PushError } from "./errors.js";
import { NS_PUSH2, PUSH2_MATCH_IMPORTANT } from "./push2.js";
import { type Element, xml } from "./xml.js";

/**
 * Push 2.0 (ProtoXEP `push2.markdown` in prosody-modules' mod_push2): the client's `<enable/>`
 * and `<disable/>`. Element and attribute names follow the ProtoXEP's examples (C22).
 */
/** The Push 2.0 namespace, as the SDK's public name for it. */
export const PUSH2_NS = NS_PUSH2;

/** The send profile for Web Push: RFC 8291 encryption of an XEP-0420 envelope, RFC 8292 (VAPID) JWT. */
export const PUSH2_SEND_WEBPUSH = "urn:xmpp:push2:send:sce+rfc8291+rfc8292:0";

/** A listed chat: pushed only for what is set here; listed with neither, it is muted. */
export interface Push2Filter {
  /** The chat's bare JID. */
  jid: string;
  mention?: boolean;
  reply?: boolean;
}

export interface Push2EnableRequest {
  /** The push service's JID (host, bare or full), where the server sends notifications. */
  service: string;
  /** Opaque to the server and echoed in every notification: the Web Push endpoint URL. */
  client: string;
  /** The match profile (default `urn:xmpp:push2:match:important`). */
  match?: string;
  /** Seconds during which activity on another session pauses pushes. */
  grace?: number;
  filters?: readonly Push2Filter[];
  /** The subscription's `p256dh`: the 65-byte uncompressed P-256 point. */
  uaPublic: Uint8Array;
  /** The subscription's `auth`: 16 octets. */
  authSecret: Uint8Array;
  /** The VAPID private key as PKCS#8 DER; sent as base64, i.e. the PEM body without its header lines. */
  jwtKey: Uint8Array;
  /** JWT claims the server signs besides its own `sub` and `exp`; `aud` is the push service's origin (RFC 8292 §2). */
  claims: Readonly<Record<string, string>>;
}

/**
 * `<enable xmlns='urn:xmpp:push2:0'>` with one `<match>` whose `<send>` is the Web Push profile;
 * keys in standard base64, as Borogove writes them and mod_push2 reads them (C23). Malformed
 * input is `PushError('bad-request')` before anything is sent.
 */
export function buildPush2Enable(request: Push2EnableRequest): Element {
  if (!request.service) throw new PushError("bad-request", "enable needs the push service jid");
  if (!request.client) throw new PushError("bad-request", "enable needs the client (the push endpoint)");
  if (request.uaPublic.length !== 65 || request.uaPublic[0] !== 0x04) throw new PushError("bad-request", "ua-public must be a 65-byte uncompressed P-256 point");
  if (request.authSecret.length !== 16) throw new PushError("bad-request", "auth-secret must be 16 octets");
  if (request.jwtKey.length === 0) throw new PushError("bad-request", "jwt-key must be a PKCS#8 key");
  const grace = request.grace;
  if (grace !== undefined && !(Number.isSafeInteger(grace) && grace >= 0)) throw new PushError("bad-request", "grace must be whole seconds");

  const match = xml("match", { profile: request.match ?? PUSH2_MATCH_IMPORTANT }, grace === undefined ? undefined : xml("grace", {}, String(grace)));
  for (const filter of request.filters ?? []) {
    if (!filter.jid) throw new PushError("bad-request", "a filter needs a jid");
    match.append(xml("filter", { jid: filter.jid }, filter.mention ? xml("mention") : undefined, filter.reply ? xml("reply") : undefined));
  }
  const send = xml(
    "send",
    { xmlns: PUSH2_SEND_WEBPUSH },
    xml("ua-public", {}, bytesToBase64(request.uaPublic)),
    xml("auth-secret", {}, bytesToBase64(request.authSecret)),
    xml("jwt-alg", {}, "ES256"),
    xml("jwt-key", {}, bytesToBase64(request.jwtKey)),
  );
  for (const [name, value] of Object.entries(request.claims)) {
    if (!name) throw new PushError("bad-request", "a JWT claim needs a name");
    send.append(xml("jwt-claim", { name }, value));
  }
  match.append(send);
  return xml("enable", { xmlns: PUSH2_NS }, xml("service", {}, request.service), xml("client", {}, request.client), match);
}

/** `<disable xmlns='urn:xmpp:push2:0'/>`: no attributes; the server knows the registration by the session. */
export function buildPush2Disable(): Element {
  return xml("disable", { xmlns: PUSH2_NS });
}
