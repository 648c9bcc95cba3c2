import { bareJid, buildSummary, type DataForm, type Element, type Summary } from "../../../../protocol/index.js";
import { bodyOf } from "../../message-rules.js";
import type { ResolvedPushOptions } from "./options.js";

/**
 * What a push tells the push service about a message: the XEP-0357 summary form. Everything the
 * options and presets say about the summary — which fields, with what values, of which form type —
 * is decided here.
 */
export function summaryForm(summary: Summary, options: ResolvedPushOptions): DataForm {
  return buildSummary(summary, options.summaryFormType, { emptyFields: options.emptyFields });
}

export function summaryOf(message: Element, messageCount: number, options: ResolvedPushOptions): Summary {
  const summary: Summary = {};
  if (options.messageCount === "since-login") summary.messageCount = messageCount;
  else if (options.messageCount === "always-one") summary.messageCount = 1;
  const from = String(message.attrs.from ?? "");
  if (options.includeSender && from) summary.lastMessageSender = options.senderResource ? from : bareJid(from);
  const body = bodyOf(message);
  if (body !== undefined && options.includeBody !== false) {
    summary.lastMessageBody = options.includeBody === true ? body : options.includeBody;
  }
  return summary;
}
