import { PushError } from "./errors.js";
import { buildForm, type DataForm, parseForm } from "./forms.js";
import { NS_DATA_FORMS, NS_DISCO_INFO, NS_DISCO_ITEMS } from "./namespaces.js";
import { attr, childrenOf, type Element, xml } from "./xml.js";

export interface DiscoIdentity {
  category: string;
  type: string;
  name?: string;
}

export interface DiscoInfo {
  node?: string;
  identities: DiscoIdentity[];
  features: string[];
  /** XEP-0128 extended information forms. */
  forms: DataForm[];
}

export interface DiscoItem {
  jid: string;
  node?: string;
  name?: string;
}

export interface DiscoItems {
  node?: string;
  items: DiscoItem[];
}

export function buildDiscoInfoQuery(node?: string): Element {
  return xml("query", { xmlns: NS_DISCO_INFO, node });
}

export function buildDiscoItemsQuery(node?: string): Element {
  return xml("query", { xmlns: NS_DISCO_ITEMS, node });
}

export function buildDiscoInfo(info: DiscoInfo): Element {
  return xml(
    "query",
    { xmlns: NS_DISCO_INFO, node: info.node },
    ...info.identities.map((identity) => xml("identity", { ...identity })),
    ...info.features.map((feature) => xml("feature", { var: feature })),
    ...info.forms.map(buildForm),
  );
}

export function parseDiscoInfo(query: Element): DiscoInfo {
  if (!query.is("query", NS_DISCO_INFO)) {
    throw new PushError("bad-request", `expected <query xmlns='${NS_DISCO_INFO}'>`, { stanza: query });
  }
  const info: DiscoInfo = { identities: [], features: [], forms: [] };
  const node = attr(query, "node");
  if (node) info.node = node;
  for (const el of childrenOf(query, "identity")) {
    const category = attr(el, "category");
    const type = attr(el, "type");
    if (!category || !type) continue; // XEP-0030 requires both; skip the broken ones, keep the rest
    const identity: DiscoIdentity = { category, type };
    const name = attr(el, "name");
    if (name) identity.name = name;
    info.identities.push(identity);
  }
  for (const el of childrenOf(query, "feature")) {
    const feature = attr(el, "var");
    if (feature && !info.features.includes(feature)) info.features.push(feature);
  }
  info.forms = childrenOf(query, "x", NS_DATA_FORMS).map(parseForm);
  return info;
}

export function buildDiscoItems(items: DiscoItems): Element {
  return xml(
    "query",
    { xmlns: NS_DISCO_ITEMS, node: items.node },
    ...items.items.map((item) => xml("item", { jid: item.jid, node: item.node, name: item.name })),
  );
}

export function parseDiscoItems(query: Element): DiscoItems {
  if (!query.is("query", NS_DISCO_ITEMS)) {
    throw new PushError("bad-request", `expected <query xmlns='${NS_DISCO_ITEMS}'>`, { stanza: query });
  }
  const result: DiscoItems = { items: [] };
  const node = attr(query, "node");
  if (node) result.node = node;
  for (const el of childrenOf(query, "item")) {
    const jid = attr(el, "jid");
    if (!jid) continue;
    const item: DiscoItem = { jid };
    const itemNode = attr(el, "node");
    if (itemNode) item.node = itemNode;
    const name = attr(el, "name");
    if (name) item.name = name;
    result.items.push(item);
  }
  return result;
}
