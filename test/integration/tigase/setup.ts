import { type Client, xml } from "@xmpp/client";
import type { Registration } from "../../../src/index.js";
import { base64ToBytes, buildEnable, type Element, NS } from "../../../src/protocol/index.js";
import type { Component, SendStanza } from "../../../src/sim/index.js";
import { APP_SERVER, type Chain, createChain, goOffline } from "../../helpers/chain.js";

export const ROOM = "room@muc.example.test";

/** Tigase as its source says: the `tigase` preset, alice/bob/carol, the app server attached. */
export function tigase(): Chain {
  return createChain({ preset: "tigase" });
}

/**
 * bob's phone registers at the app server and enables with the Tigase `children` (raw, over the
 * real client: the SDK's tigase dialect is written elsewhere); then it goes offline unless told.
 */
export async function bobEnables(chain: Chain, children: Element[], options: { attrs?: Record<string, string>; stayOnline?: boolean } = {}) {
  const bob = await chain.device("bob");
  const registration = await bob.push.register({ appServer: APP_SERVER, provider: "fcm", token: "bob-token" });
  await enableRaw(bob.xmpp, registration, children, options.attrs);
  if (!options.stayOnline) await goOffline(chain, bob.xmpp);
  return { bob, registration };
}

export function enableRaw(xmpp: Client, registration: Registration, children: Element[], attrs: Record<string, string> = {}): Promise<Element> {
  const enable = buildEnable({ jid: registration.jid, node: registration.node, publishOptions: registration.publishOptions, extensions: children });
  Object.assign(enable.attrs, attrs);
  return xmpp.iqCaller.request(xml("iq", { type: "set" }, enable));
}

/** The `<notification/>` of a publish IQ. */
export function notificationOf(publish: Element): Element {
  const notification = publish.getChild("pubsub", NS.pubsub)?.getChild("publish")?.getChild("item")?.getChild("notification", NS.push);
  if (!notification) throw new Error(`no notification in ${publish.toString()}`);
  return notification;
}

/** Decrypts a Tigase `<encrypted/>` with Web Crypto, as an app would: 12-byte IV, base64(ciphertext ‖ tag). */
export async function decrypt(encrypted: Element, key: Uint8Array<ArrayBuffer>): Promise<Record<string, unknown>> {
  const iv = base64ToBytes(String(encrypted.attrs.iv));
  const sealed = base64ToBytes(encrypted.text());
  if (!iv || !sealed) throw new Error("not base64");
  const cryptoKey = await crypto.subtle.importKey("raw", key, "AES-GCM", false, ["decrypt"]);
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv, tagLength: 128 }, cryptoKey, sealed);
  return JSON.parse(new TextDecoder().decode(plain)) as Record<string, unknown>;
}

/** A MUC service as far as the tests need one: it sends what it is told, from its rooms. */
export function mucService(): Component & { send(stanza: Element): void } {
  let link: SendStanza | undefined;
  return {
    jid: "muc.example.test",
    connect(send) {
      link = send;
      return () => {
        link = undefined;
      };
    },
    receive() {},
    send(stanza) {
      link?.(stanza);
    },
  };
}

/** A groupchat message from `nick` in the room, to bob's bare JID, as a MUC's offline delivery sends it. */
export function roomMessage(nick: string, body: string): Element {
  return xml("message", { from: `${ROOM}/${nick}`, to: "bob@example.test", type: "groupchat", id: `m-${nick}-${body.length}` }, xml("body", {}, body));
}
