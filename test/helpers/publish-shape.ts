import { type Element, NS } from "../../src/protocol/index.js";

/** What a publish says, with the volatile parts (ids, node, secret, host names) reduced to roles. */
export interface PublishShape {
  /** `domain` when `from` is a bare domain, `account` when it is a user's bare JID. */
  from: "domain" | "account" | "other";
  summaryFormType: string | undefined;
  /** Summary fields in order: var, type and values. */
  fields: { var: string; type?: string; values: string[] }[];
  publishOptionFields: string[];
}

export function publishShape(publish: Element): PublishShape {
  const from = String(publish.attrs.from ?? "");
  const pubsub = publish.getChild("pubsub", NS.pubsub);
  const notification = pubsub?.getChild("publish")?.getChild("item")?.getChild("notification", NS.push);
  const form = notification?.getChild("x", NS.dataForms);
  const options = pubsub?.getChild("publish-options")?.getChild("x", NS.dataForms);
  return {
    from: from.includes("/") ? "other" : from.includes("@") ? "account" : from ? "domain" : "other",
    summaryFormType: form?.attrs.type as string | undefined,
    fields: (form?.getChildren("field") ?? [])
      .filter((field) => field.attrs.var !== "FORM_TYPE")
      .map((field) => ({
        var: String(field.attrs.var),
        ...(field.attrs.type ? { type: String(field.attrs.type) } : {}),
        values: field.getChildren("value").map((value) => value.text()),
      })),
    publishOptionFields: (options?.getChildren("field") ?? []).map((field) => String(field.attrs.var)),
  };
}
