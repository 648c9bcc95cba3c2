import type { DiscoInfo, DiscoItem, Element } from "../protocol/index.js";
import { NS_DATA_FORMS } from "../protocol/index.js";
import { readForm } from "./read-form.js";

// A peer's disco answers as the client reads them: what it needs of each, leniently (the
// simulators' strict parsers are protocol/disco.ts).

/** Identities with a category and a type, features without repeats, and the XEP-0128 forms. */
export function readDiscoInfo(query: Element): DiscoInfo {
  const info: DiscoInfo = { identities: [], features: [], forms: [] };
  for (const child of query.getChildElements()) {
    const { category, type, name, var: feature } = child.attrs as Record<string, string | undefined>;
    if (child.name === "identity" && category && type) info.identities.push(name ? { category, type, name } : { category, type });
    else if (child.name === "feature" && feature && !info.features.includes(feature)) info.features.push(feature);
    else if (child.is("x", NS_DATA_FORMS)) info.forms.push(readForm(child));
  }
  return info;
}

/** The items that name a JID. */
export function readDiscoItems(query: Element): DiscoItem[] {
  return query.getChildren("item").flatMap((el) => {
    const { jid, node, name } = el.attrs as Record<string, string | undefined>;
    if (!jid) return [];
    const item: DiscoItem = { jid };
    if (node) item.node = node;
    if (name) item.name = name;
    return [item];
  });
}
