import { createECDH, randomBytes } from "node:crypto";
import { base64ToBytes, bytesToBase64, type Element, envelopeStanza, NS_PUSH2, parseXml, PUSH2_MATCH, PUSH2_SEND_NOTIFY_ONLY, PUSH2_SEND_SCE, xml } from "../../src/protocol/index.js";
import { decryptPushMessage, type UserAgentKeys } from "../../src/node/push-service/decrypt.js";

/** A browser's half of Push 2.0: its Web Push subscription keys and the VAPID key pair it hands its server. */
export interface Push2Device {
  readonly subscription: UserAgentKeys;
  /** The VAPID key pair's public point, raw uncompressed. */
  readonly vapidPublic: Uint8Array;
  /** The private key as PKCS#8 DER, base64 (the `<jwt-key/>` text). */
  readonly vapidPkcs8: string;
}

export async function push2Device(): Promise<Push2Device> {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  const subscription = { ecdh, publicKey: ecdh.getPublicKey(), authSecret: randomBytes(16) };
  const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const vapidPublic = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  const vapidPkcs8 = bytesToBase64(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
  return { subscription, vapidPublic, vapidPkcs8 };
}

export interface EnableShape {
  service?: string | null;
  client?: string | null;
  profile?: string;
  grace?: number;
  filters?: readonly { jid: string; mention?: boolean; reply?: boolean }[];
  notifyOnly?: boolean;
  aud?: string;
  /** Replace the send profile's children (bad keys). */
  keys?: { uaPublic?: string; authSecret?: string; jwtKey?: string };
}

/** An `<enable xmlns='urn:xmpp:push2:0'/>` written from the ProtoXEP, as Borogove's Push2Enable sends it. */
export function push2Enable(device: Push2Device, shape: EnableShape = {}): Element {
  const send = shape.notifyOnly
    ? xml("send", { xmlns: PUSH2_SEND_NOTIFY_ONLY })
    : xml(
        "send",
        { xmlns: PUSH2_SEND_SCE },
        xml("ua-public", {}, shape.keys?.uaPublic ?? bytesToBase64(device.subscription.publicKey)),
        xml("auth-secret", {}, shape.keys?.authSecret ?? bytesToBase64(device.subscription.authSecret)),
        xml("jwt-alg", {}, "ES256"),
        xml("jwt-key", {}, shape.keys?.jwtKey ?? device.vapidPkcs8),
        xml("jwt-claim", { name: "aud" }, shape.aud ?? "https://push.example.net"),
      );
  return xml(
    "enable",
    { xmlns: NS_PUSH2 },
    shape.service === null ? undefined : xml("service", {}, shape.service ?? "push2.example.test"),
    shape.client === null ? undefined : xml("client", {}, shape.client ?? "https://push.example.net/send/device-1"),
    xml(
      "match",
      { profile: shape.profile ?? PUSH2_MATCH.important },
      shape.grace === undefined ? undefined : xml("grace", {}, String(shape.grace)),
      ...(shape.filters ?? []).map((filter) => xml("filter", { jid: filter.jid }, filter.mention ? xml("mention") : undefined, filter.reply ? xml("reply") : undefined)),
      send,
    ),
  );
}

/** The stanza a notification carries: its payload decrypted with the subscription's keys, out of the XEP-0420 envelope. */
export function decryptNotification(device: Push2Device, notification: Element): { envelope: Element; stanza: Element; bytes: number; plaintext: number } {
  const payload = notification.getChild("encrypted", "urn:xmpp:sce:rfc8291:0")?.getChildText("payload") ?? "";
  const body = Buffer.from(base64ToBytes(payload) ?? new Uint8Array());
  const plaintext = decryptPushMessage(body, device.subscription);
  const envelope = parseXml(plaintext.toString("utf8"));
  const stanza = envelopeStanza(envelope);
  if (!stanza) throw new Error(`no forwarded stanza in ${envelope.toString()}`);
  return { envelope, stanza, bytes: body.length, plaintext: plaintext.length };
}

/** Verifies an ES256 JWT against a raw P-256 public key with Web Crypto; its claims, or undefined when the signature fails. */
export async function verifiedClaims(token: string, rawPublicKey: Uint8Array): Promise<Record<string, unknown> | undefined> {
  const [header = "", claims = "", signature = ""] = token.split(".");
  const key = await crypto.subtle.importKey("raw", new Uint8Array(rawPublicKey), { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]);
  const ok = await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key, Buffer.from(signature, "base64url"), new TextEncoder().encode(`${header}.${claims}`));
  if (!ok) return undefined;
  const decodedHeader = JSON.parse(Buffer.from(header, "base64url").toString("utf8")) as Record<string, unknown>;
  if (decodedHeader.alg !== "ES256") return undefined;
  return JSON.parse(Buffer.from(claims, "base64url").toString("utf8")) as Record<string, unknown>;
}
