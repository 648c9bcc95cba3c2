import { bareJid, type Element, xml } from "../../../../protocol/index.js";
import type { ModuleHost, ServerModule } from "../../module.js";
import { TIGASE } from "./namespaces.js";
import { enableChild } from "./settings.js";
import { jingleMessageOf } from "./stanza.js";

/**
 * Tigase's `tigase:push:jingle:0` (JinglePushNotificationsExtension, TS8), for XEP-0353 calls:
 * a `propose` from someone else pushes whether or not the account is online, and another
 * action (accept, proceed, reject) the account's own device sends pushes to its own
 * registrations, so the other devices stop ringing; `retract` never pushes. Only registrations
 * whose enable had `<jingle/>` get these pushes, with
 * `<jingle xmlns='tigase:push:jingle:0' action sid><media>audio</media><feature xmlns/></jingle>`.
 */
export function tigaseJingleModule(): ServerModule {
  return {
    name: "tigase-jingle",
    load(host) {
      const wanted = enableChild(host, "jingle", TIGASE.jingle, () => true);
      const incoming = ({ account, stanza }: { account: string; stanza: Element }) => {
        const call = jingleMessageOf(stanza);
        if (call?.name === "propose" && call.attrs.id && senderOf(stanza) !== account) ping(host, account, stanza);
        return undefined;
      };
      host.hook("message/bare", incoming);
      host.hook("message/full", incoming);
      const outgoing = ({ session, stanza }: { session: { account: string | undefined }; stanza: Element }) => {
        const call = jingleMessageOf(stanza);
        if (session.account && call && call.attrs.id && call.name !== "propose" && call.name !== "retract") ping(host, session.account, stanza);
        return undefined;
      };
      host.hook("pre-message/bare", outgoing);
      host.hook("pre-message/full", outgoing);
      host.hook(
        "cloud-notify/push",
        ({ registration, notification, stanza }) => {
          const call = jingleMessageOf(stanza);
          if (!call) return undefined;
          if (!wanted.has(registration)) return true;
          if (typeof call.attrs.id === "string") notification.append(jingleElement(call, call.attrs.id));
          return undefined;
        },
        10,
      );
    },
  };
}

function ping(host: ModuleHost, account: string, stanza: Element): void {
  host.fire("cloud-notify-ping", { account, nodes: undefined, stanza });
}

function senderOf(stanza: Element): string | undefined {
  try {
    return bareJid(String(stanza.attrs.from ?? ""));
  } catch {
    return undefined;
  }
}

function jingleElement(call: Element, sid: string): Element {
  const media = call.getChildren("description", TIGASE.jingleRtp).map((description) => xml("media", {}, String(description.attrs.media ?? "")));
  const features = call.getChildren("feature").map((feature) => xml("feature", { xmlns: String(feature.attrs.xmlns ?? "") }));
  return xml("jingle", { xmlns: TIGASE.jingle, action: call.name, sid }, ...media, ...features);
}
