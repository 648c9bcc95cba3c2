import {
  buildIq,
  buildNotification,
  buildPublish,
  type DataForm,
  type Element,
  type FieldValue,
  formFromValues,
  NS,
  type Summary,
} from "../../src/protocol/index.js";

/** The app server under test and the devices that talk to it. */
export const APP = "push.example.test";
export const BOB = "bob@example.test/phone";
export const BOB_LAPTOP = "bob@example.test/laptop";
export const ALICE = "alice@example.test/tablet";
/** What nodes, secrets and session ids look like: 128 random bits in hex. */
export const HEX_128 = /^[0-9a-f]{32}$/;

/** A submitted data form with these field values (no FORM_TYPE), as a registration command carries it. */
export function submit(values: Record<string, FieldValue | undefined>): DataForm {
  return formFromValues("submit", undefined, values);
}

/** The publish IQ an XMPP server sends the app server for `node`, with the secret as a publish option when given. */
export function publishIq(from: string, node: string, options: { secret?: string; summary?: Summary } = {}): Element {
  const payload = buildPublish({
    node,
    payload: buildNotification(options.summary ? { summary: options.summary } : {}),
    publishOptions: options.secret === undefined ? undefined : formFromValues("submit", NS.publishOptions, { secret: options.secret }),
  });
  return buildIq({ type: "set", from, to: APP }, payload);
}

/** Keys that pass the app server's Web Push checks: an uncompressed P-256 point and a 16-byte auth secret, base64url. */
export function webPushKeys(): { p256dh: string; auth: string } {
  const point = new Uint8Array(65);
  point[0] = 0x04;
  for (let i = 1; i < point.length; i++) point[i] = (i * 37) % 256;
  const auth = new Uint8Array(16).map((_, i) => i * 11);
  return { p256dh: Buffer.from(point).toString("base64url"), auth: Buffer.from(auth).toString("base64url") };
}
