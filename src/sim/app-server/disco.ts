import {
  attr,
  buildDiscoInfo,
  buildDiscoItems,
  type DataForm,
  type Element,
  NS,
  VAPID_PUBLIC_KEY_FIELD,
  WEBPUSH_FORM_TYPE,
} from "../../protocol/index.js";
import type { CommandDescription } from "./command-nodes.js";
import type { AppServerContext } from "./context.js";
import { refusal } from "./iq-errors.js";

const SERVICE_FEATURES = [NS.discoInfo, NS.discoItems, NS.commands, NS.push, NS.pubsub];

/** disco#info: the push service itself (A1), or one of its command nodes (XEP-0050 §2.3). */
export function discoInfo(context: AppServerContext, query: Element): Element {
  const node = attr(query, "node");
  if (node === undefined) {
    return buildDiscoInfo({
      identities: [{ category: "pubsub", type: "push", name: "xmpp-push app server" }],
      features: SERVICE_FEATURES,
      forms: context.vapidPublicKey === undefined ? [] : [webPushForm(context.vapidPublicKey)],
    });
  }
  const command = commandsOf(context).find((candidate) => candidate.node === node);
  if (!command) throw refusal("item-not-found", `no node '${node}'`);
  return buildDiscoInfo({
    node,
    identities: [{ category: "automation", type: "command-node", name: command.name }],
    features: [NS.commands, NS.dataForms],
    forms: [],
  });
}

/** disco#items: the command list (A2). Push nodes are private, so the service root lists none. */
export function discoItems(context: AppServerContext, query: Element): Element {
  const node = attr(query, "node");
  if (node === undefined) return buildDiscoItems({ items: [] });
  if (node !== NS.commands) throw refusal("item-not-found", `no node '${node}'`);
  return buildDiscoItems({
    node,
    items: commandsOf(context).map((command) => ({ jid: context.jid, ...command })),
  });
}

/** XEP-0128: the VAPID key a PWA subscribes with, learnt over XMPP like everything else. */
function webPushForm(vapidPublicKey: string): DataForm {
  return { type: "result", formType: WEBPUSH_FORM_TYPE, fields: [{ var: VAPID_PUBLIC_KEY_FIELD, values: [vapidPublicKey] }] };
}

/** Every dialect's commands, dialect by dialect (A2). */
function commandsOf(context: AppServerContext): CommandDescription[] {
  return context.dialects.flatMap((dialect) => dialect.commands(context));
}
