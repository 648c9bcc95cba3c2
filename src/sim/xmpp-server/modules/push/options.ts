import type { Element } from "../../../../protocol/index.js";
import { positiveLimit } from "../../../recent-records.js";
import type { PublishNotification, PushService } from "./virtual-hosts.js";

/** Decides whether a stanza may trigger a push at all (MongooseIM's `should_publish` plugin hook). */
export type ShouldPublish = (from: string, to: string, stanza: Element) => boolean;

export interface PushOptions {
  /**
   * What goes in `last-message-body`: `false` nothing (mod_cloud_notify's default), `true` the real
   * body, a string that text as a placeholder for messages with a body (Prosody's "New Message!",
   * ejabberd's "New message").
   */
  includeBody?: boolean | string;
  /** Put the sender's JID in `last-message-sender` (default false). */
  includeSender?: boolean;
  /** Keep the sender's resource in `last-message-sender` (default true; newer ejabberd strips it). */
  senderResource?: boolean;
  shouldPublish?: ShouldPublish;
  /** Publish `from` the account's bare JID (the XEP's example, default) or the server's domain (Prosody, ejabberd). */
  publishFrom?: "account" | "domain";
  /** The summary form's type: `submit` (default, ejabberd) or `form` (Prosody). */
  summaryFormType?: "submit" | "form";
  /** `message-count`: messages since the last login (default), always 1 (Prosody), or absent (ejabberd). */
  messageCount?: "since-login" | "always-one" | "none";
  /** Keep empty summary fields in the form, as Prosody does (default false). */
  emptyFields?: boolean;
  /** Push for chat/normal messages without a body too, with no body field (Prosody; default false). */
  pushBodyless?: boolean;
  /**
   * Consecutive publish errors after which a registration is removed: 1 disables at the first
   * error as ejabberd does, 16 is Prosody's `push_max_errors`. Default 1.
   */
  maxPublishErrors?: number;
  /** Which error types count: any but `wait` (default; Prosody, ejabberd) or only `cancel` (MongooseIM). */
  countErrors?: "non-wait" | "cancel";
  /** The answer to a disable that matched nothing: a result (default, Prosody) or item-not-found (ejabberd). */
  disableUnknown?: "result" | "item-not-found";
  /** Put `pending-subscription-count` in the summary and push for presence subscription requests to an offline account (royneary's `include_subscription_count`; default false). */
  includeSubscriptionCount?: boolean;
  /**
   * How an `urn:xmpp:push:options` form in `<enable/>` may change what the server puts in the
   * summary: `reduce-only` (default) only turns off what the configuration and earlier enables
   * allow; `first-enable-sets` lets the account's first enable set any option (the
   * configuration is only the default), later ones only reduce — royneary's `make_config`;
   * `none`: the server knows no such form (Prosody, ejabberd, MongooseIM) — it is not advertised
   * on the account's disco#info and an enable's form of that type changes nothing.
   */
  userOptions?: "reduce-only" | "first-enable-sets" | "none";
  /**
   * The most registrations one account keeps: an enable past it removes the account's least
   * recently enabled one (raising `disabled` for it), as Prosody's `push_max_devices` (5) and
   * ejabberd's `max_user_sessions` (10 in its shipped ejabberd.yml) do; no error is answered.
   * A positive integer, or `Infinity`. Default 10 (the prosody preset 5).
   */
  maxRegistrations?: number;
  /** How long a publish waits for the push service's answer before it is forgotten, ms (default 30 000). */
  publishTimeout?: number;
  /**
   * MongooseIM's `virtual_pubsub_hosts` (PubSub-less): publishes to these domains are handled
   * here, never routed — a component of the same domain receives none — and go to `pushService`.
   */
  virtualPubsubHosts?: readonly string[];
  /** Where notifications for a virtual pubsub host go (MongooseIM's `push_notifications` hook). */
  pushService?: PushService;
  /** Replaces the publishing itself (MongooseIM's plugin `publish_notification`). */
  publishNotification?: PublishNotification;
}

type Callbacks = "shouldPublish" | "pushService" | "publishNotification";

export type ResolvedPushOptions = Required<Omit<PushOptions, Callbacks>> & Pick<PushOptions, Callbacks>;

/** A preset's push options under the explicit ones; unset options take the reference defaults. */
export function resolvePushOptions(preset: PushOptions, overrides: PushOptions = {}): ResolvedPushOptions {
  const options = { ...preset, ...withoutUndefined(overrides) };
  return {
    includeBody: options.includeBody ?? false,
    includeSender: options.includeSender ?? false,
    senderResource: options.senderResource ?? true,
    shouldPublish: options.shouldPublish,
    publishFrom: options.publishFrom ?? "account",
    summaryFormType: options.summaryFormType ?? "submit",
    messageCount: options.messageCount ?? "since-login",
    emptyFields: options.emptyFields ?? false,
    pushBodyless: options.pushBodyless ?? false,
    maxPublishErrors: Math.max(1, options.maxPublishErrors ?? 1),
    countErrors: options.countErrors ?? "non-wait",
    disableUnknown: options.disableUnknown ?? "result",
    publishTimeout: options.publishTimeout ?? 30_000,
    maxRegistrations: positiveLimit("push.maxRegistrations", options.maxRegistrations, 10),
    includeSubscriptionCount: options.includeSubscriptionCount ?? false,
    userOptions: options.userOptions ?? "reduce-only",
    virtualPubsubHosts: (options.virtualPubsubHosts ?? []).map((host) => host.toLowerCase()),
    pushService: options.pushService,
    publishNotification: options.publishNotification,
  };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}

