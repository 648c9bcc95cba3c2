import { type Client, xml } from "@xmpp/client";
import { sendRequest } from "../../../src/client/request.js";
import { buildForm, buildIq, type Element, formFromValues, NS } from "../../../src/protocol/index.js";
import { createPubsubService, type PubsubService, type PushOptions } from "../../../src/sim/index.js";
import { type Chain, createChain } from "../../helpers/chain.js";

export const PUBSUB = "pubsub.example.test";
export const VIRTUAL = "virtual.example.test";

export interface MongooseChain extends Chain {
  pubsub: PubsubService;
}

/** The reference server as MongooseIM, with a pubsub service (the push plugin on) at `pubsubJid`. */
export function mongooseChain(options: { push?: PushOptions; pubsubJid?: string } = {}): MongooseChain {
  const chain = createChain({ preset: "mongooseim", ...(options.push ? { push: options.push } : {}) });
  const pubsub = createPubsubService({ jid: options.pubsubJid ?? PUBSUB });
  chain.server.attach(pubsub);
  return { ...chain, pubsub };
}

export { listeningComponent } from "../../helpers/listening-component.js";

export function request(xmpp: Client, iq: Element): Promise<Element> {
  return sendRequest(xmpp, iq, 3000);
}

/** `<create node type='push'/>` with a node_config form, as the client-side guide shows it. */
export function createIq(to: string, node: string | undefined, config: Record<string, string> = {}): Element {
  const children: Element[] = [xml("create", { node, type: "push" })];
  if (Object.keys(config).length > 0) children.push(xml("configure", {}, buildForm(formFromValues("submit", NS.nodeConfig, config))));
  return buildIq({ type: "set", to }, xml("pubsub", { xmlns: NS.pubsub }, ...children));
}

export function deleteIq(to: string, node: string): Element {
  return buildIq({ type: "set", to }, xml("pubsub", { xmlns: NS.pubsubOwner }, xml("delete", { node })));
}

export function publishIq(to: string, node: string, publishOptions: Record<string, string>): Element {
  const pubsub = xml(
    "pubsub",
    { xmlns: NS.pubsub },
    xml("publish", { node }, xml("item", {}, xml("notification", { xmlns: NS.push }))),
    xml("publish-options", {}, buildForm(formFromValues("submit", NS.publishOptions, publishOptions))),
  );
  return buildIq({ type: "set", to }, pubsub);
}
