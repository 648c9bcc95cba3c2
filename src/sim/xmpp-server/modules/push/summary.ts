import { bareJid, buildSummary, type DataForm, type Element, type Summary } from "../../../../protocol/index.js";
import { bodyOf } from "../../message-rules.js";
import type { ResolvedPushOptions } from "./options.js";
import type { UserSummaryOptions } from "./user-options.js";

/** The account's counts at the time of a push. */
export interface PushCounts {
  /** Messages since the last login. */
  readonly messages: number;
  /** Presence subscription requests waiting for the account (RFC 6121 §3.1.3). */
  readonly subscriptions: number;
}

/** The summary as the XEP-0357 data form, of the preset's form type. */
export function summaryForm(summary: Summary, options: ResolvedPushOptions): DataForm {
  return buildSummary(summary, options.summaryFormType, { emptyFields: options.emptyFields });
}

/**
 * What a push tells the push service about a message or a subscription request (without a
 * stanza, a `cloud-notify-ping`: only the counts). Everything the options, presets and the
 * account's own push options say about the summary's fields and values is decided here.
 */
export function summaryOf(stanza: Element | undefined, counts: PushCounts, options: ResolvedPushOptions, user: UserSummaryOptions): Summary {
  const summary: Summary = {};
  if (!stanza) {
    if (user.includeMessageCount) summary.messageCount = options.messageCount === "always-one" ? 1 : counts.messages;
    if (user.includeSubscriptionCount && counts.subscriptions > 0) summary.pendingSubscriptionCount = counts.subscriptions;
    return summary;
  }
  const from = String(stanza.attrs.from ?? "");
  const subscription = stanza.name === "presence";
  if (user.includeMessageCount && (!subscription || counts.messages > 0)) {
    summary.messageCount = options.messageCount === "always-one" ? 1 : counts.messages;
  }
  if (user.includeSubscriptionCount && counts.subscriptions > 0) {
    summary.pendingSubscriptionCount = counts.subscriptions;
  }
  if (user.includeSenders && from) {
    const sender = options.senderResource ? from : bareJid(from);
    // royneary names the requester of a subscription in its own field.
    if (subscription) summary.extra = { "last-subscription-sender": [sender] };
    else summary.lastMessageSender = sender;
  }
  const body = subscription ? undefined : bodyOf(stanza);
  if (body !== undefined && user.includeMessageBodies) {
    summary.lastMessageBody = typeof options.includeBody === "string" ? options.includeBody : body;
  }
  return summary;
}
