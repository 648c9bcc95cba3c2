import { type Client, xml } from "@xmpp/client";
import type { Registration, TigaseSettings } from "../../../src/index.js";
import { buildEnable, type Element, NS } from "../../../src/protocol/index.js";
import type { Component, SendStanza } from "../../../src/sim/index.js";
import { type Chain, createChain, goOffline } from "../../helpers/chain.js";

export const ROOM = "room@muc.example.test";
/** Tigase's provider id for FCM, as the component names it. */
export const FCM = "tigase:messenger:fcm:1";

/** Tigase as its source says: the `tigase` preset, alice/bob/carol, a Tigase-style push component attached. */
export function tigase(): Chain {
  return createChain({ preset: "tigase", appServer: { dialects: ["tigase"] } });
}

/**
 * bob's phone finds the push component among the server's items, subscribes with the Tigase
 * `settings` through the SDK (register-device, then an enable with the extensions), and goes
 * offline unless told.
 */
export async function bobSubscribes(chain: Chain, settings: TigaseSettings, options: { stayOnline?: boolean; token?: string; deviceId?: string } = {}) {
  const bob = await chain.device("bob");
  const appServer = await bob.push.findPushComponent();
  if (!appServer) throw new Error("no push component among the server's disco#items");
  const registration = await bob.push.subscribe({
    appServer,
    provider: FCM,
    token: options.token ?? "bob-token",
    tigase: settings,
    ...(options.deviceId ? { deviceId: options.deviceId } : {}),
  });
  if (!options.stayOnline) await goOffline(chain, bob.xmpp);
  return { bob, registration };
}

/** An `<enable>` with these children as written, over the real client: for input the SDK never sends. */
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

/**
 * A MUC service as far as the tests need one: it sends what it is told, from its rooms, and
 * answers every IQ `service-unavailable` (findPushComponent asks each of the domain's items).
 */
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
    receive(stanza) {
      if (stanza.name !== "iq" || (stanza.attrs.type !== "get" && stanza.attrs.type !== "set")) return;
      const { id, from, to } = stanza.attrs as Record<string, string>;
      link?.(xml("iq", { type: "error", id, from: to, to: from }, xml("error", { type: "cancel" }, xml("service-unavailable", { xmlns: "urn:ietf:params:xml:ns:xmpp-stanzas" }))));
    },
    send(stanza) {
      link?.(stanza);
    },
  };
}

/** A groupchat message from `nick` in the room, to bob's bare JID, as a MUC's offline delivery sends it. */
export function roomMessage(nick: string, body: string): Element {
  return xml("message", { from: `${ROOM}/${nick}`, to: "bob@example.test", type: "groupchat", id: `m-${nick}-${body.length}` }, xml("body", {}, body));
}
