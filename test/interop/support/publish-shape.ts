import { attr, type Element, NS } from "../../../src/protocol/index.js";
import { DOMAIN } from "../shared.js";

const SUMMARY_FORM = "urn:xmpp:push:summary";

/** The summary form of a publish, field by field (an empty field maps to []). */
export function summaryFields(publish: Element): Map<string, string[]> | undefined {
  const x = summaryForm(publish);
  if (!x) return undefined;
  return new Map(x.getChildren("field").map((field) => [attr(field, "var") ?? "", field.getChildren("value").map((value) => value.text())]));
}

function summaryForm(publish: Element): Element | undefined {
  const notification = publish.getChild("pubsub", NS.pubsub)?.getChild("publish")?.getChild("item")?.getChild("notification", NS.push);
  return notification?.getChild("x", NS.dataForms);
}

/**
 * How a publish departs from XEP-0357's example (which the reference server follows): sent from
 * the account's bare JID, a `submit` summary form with a message-count, no body or sender unless
 * configured (the suite never configures them), no empty fields.
 */
export function publishDifferences(publish: Element, account: string, sentBody: string | undefined): string[] {
  const differences: string[] = [];
  const from = attr(publish, "from");
  if (from !== account) differences.push(`publish from ${from === DOMAIN ? "the server's domain" : `'${String(from)}'`}, not the account`);
  const x = summaryForm(publish);
  const fields = summaryFields(publish);
  if (!x || !fields) return [...differences, "no summary form"];
  if (fields.get("FORM_TYPE")?.[0] !== SUMMARY_FORM) differences.push("summary FORM_TYPE is not urn:xmpp:push:summary");
  if (attr(x, "type") !== "submit") differences.push(`summary form type '${String(attr(x, "type"))}'`);
  if (!fields.has("message-count")) differences.push("no message-count");
  const empty = [...fields].filter(([name, values]) => name !== "FORM_TYPE" && values.every((value) => value === "")).map(([name]) => name);
  if (empty.length > 0) differences.push(`empty fields kept (${empty.join(", ")})`);
  const body = fields.get("last-message-body")?.[0];
  if (body) differences.push(body === sentBody ? "sends the message body" : `placeholder body '${body}'`);
  if (fields.get("last-message-sender")?.[0]) differences.push("sends the sender");
  return differences;
}
