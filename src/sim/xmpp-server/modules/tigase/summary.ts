import { type Element, NS, xml } from "../../../../protocol/index.js";
import type { ServerModule } from "../../module.js";
import { TIGASE } from "./namespaces.js";
import { groupchatNick } from "./payload.js";
import { isOmemo, OMEMO_PLACEHOLDER } from "./stanza.js";

/**
 * What Tigase's own summary adds (AbstractPushNotifications.prepareNotificationPayload, TS2):
 * an OMEMO message's body is replaced by `encrypted-message-body`, and a groupchat message gets
 * `<groupchat xmlns='http://tigase.org/protocol/muc#offline'><nickname>nick</nickname></groupchat>`.
 */
export function tigaseSummaryModule(): ServerModule {
  return {
    name: "tigase-summary",
    load(host) {
      host.hook("cloud-notify/push", ({ notification, stanza }) => {
        if (!stanza || stanza.name !== "message") return undefined;
        if (isOmemo(stanza)) replaceBody(notification, OMEMO_PLACEHOLDER);
        if (stanza.attrs.type === "groupchat") {
          const nickname = groupchatNick(stanza, String(stanza.attrs.from ?? ""));
          if (nickname !== undefined) notification.append(xml("groupchat", { xmlns: TIGASE.mucOffline }, xml("nickname", {}, nickname)));
        }
        return undefined;
      });
    },
  };
}

function replaceBody(notification: Element, text: string): void {
  const form = notification.getChild("x", NS.dataForms);
  const field = form?.getChildren("field").find((candidate) => candidate.attrs.var === "last-message-body");
  const value = field?.getChild("value");
  if (value) value.children = [text];
}
