import { PushError } from "./errors.js";
import { buildForm, type DataForm, parseForm } from "./forms.js";
import { NS } from "./namespaces.js";
import { attr, cloneElement, type Element, xml } from "./xml.js";

export interface PublishRequest {
  node: string;
  itemId?: string;
  payload?: Element;
  /** A parsed form, or an `<x>` element copied verbatim (as XEP-0357 servers store it). */
  publishOptions?: DataForm | Element;
}

export interface ParsedPublish {
  node: string;
  itemId?: string;
  /** The first child of `<item>`, when there is one. */
  payload?: Element;
  hasItem: boolean;
  publishOptions?: DataForm;
}

/** `<pubsub><publish node><item>payload</item></publish><publish-options>…</publish-options></pubsub>` */
export function buildPublish(request: PublishRequest): Element {
  if (!request.node) throw new PushError("bad-request", "a publish needs a node");
  const item = xml("item", { id: request.itemId });
  if (request.payload) item.append(request.payload);
  const pubsub = xml("pubsub", { xmlns: NS.pubsub }, xml("publish", { node: request.node }, item));
  const options = request.publishOptions;
  if (options) {
    const x = isElement(options) ? cloneElement(options) : buildForm(options);
    pubsub.append(xml("publish-options", {}, x));
  }
  return pubsub;
}

/** Parses a publish request; a missing `<publish>` or node throws `PushError('bad-request')`. */
export function parsePublish(pubsub: Element): ParsedPublish {
  if (!pubsub.is("pubsub", NS.pubsub)) {
    throw new PushError("bad-request", `expected <pubsub xmlns='${NS.pubsub}'>`, { stanza: pubsub });
  }
  const publish = pubsub.getChild("publish");
  if (!publish) throw new PushError("bad-request", "pubsub request without <publish/>", { stanza: pubsub });
  const node = attr(publish, "node");
  if (!node) throw new PushError("bad-request", "publish without node", { stanza: pubsub, specific: "nodeid-required", specificNs: NS.pubsubErrors });

  const item = publish.getChild("item");
  const parsed: ParsedPublish = { node, hasItem: item !== undefined };
  if (item) {
    const id = attr(item, "id");
    if (id) parsed.itemId = id;
    const [payload] = item.getChildElements();
    if (payload) parsed.payload = payload;
  }
  const x = pubsub.getChild("publish-options")?.getChild("x", NS.dataForms);
  if (x) parsed.publishOptions = parseForm(x);
  return parsed;
}

function isElement(value: DataForm | Element): value is Element {
  return typeof (value as Element).getChildElements === "function";
}
