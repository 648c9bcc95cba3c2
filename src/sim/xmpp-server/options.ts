import type { Element } from "../../protocol/index.js";

/** Decides whether a stanza may trigger a push at all (MongooseIM's `should_publish` plugin hook). */
export type ShouldPublish = (from: string, to: string, stanza: Element) => boolean;

export interface PushOptions {
  /** Put the real body in `last-message-body` (mod_cloud_notify `push_notification_with_body`; default false). */
  includeBody?: boolean;
  /** Put the sender's JID in `last-message-sender` (default false). */
  includeSender?: boolean;
  shouldPublish?: ShouldPublish;
  /**
   * Consecutive non-`wait` publish errors after which a registration is removed: 1 disables at
   * the first error as ejabberd does, 16 is Prosody's `push_max_errors`. Default 1.
   */
  maxPublishErrors?: number;
  /** How long a publish waits for the push service's answer before it is forgotten, ms (default 30 000). */
  publishTimeout?: number;
}

/** XEP-0198 stream management. */
export interface StreamManagementOptions {
  /** Offer stream management (default true). */
  enabled?: boolean;
  /** How long a session whose connection dropped stays resumable, ms (default 300 000). */
  resumeTimeout?: number;
  /**
   * How long a message may stay unacknowledged on a live connection before it pushes anyway,
   * ms (Prosody's `smacks_max_ack_delay`, default 30 000).
   */
  ackDelay?: number;
}

export interface XmppServerOptions {
  domain: string;
  /** Accounts: username → password. */
  users?: Record<string, string>;
  push?: PushOptions;
  streamManagement?: StreamManagementOptions;
}

export function resolveStreamManagement(options: StreamManagementOptions = {}): Required<StreamManagementOptions> {
  return { enabled: options.enabled ?? true, resumeTimeout: options.resumeTimeout ?? 300_000, ackDelay: options.ackDelay ?? 30_000 };
}

export interface ResolvedPushOptions {
  includeBody: boolean;
  includeSender: boolean;
  shouldPublish: ShouldPublish | undefined;
  maxPublishErrors: number;
  publishTimeout: number;
}

export function resolvePushOptions(options: PushOptions = {}): ResolvedPushOptions {
  return {
    includeBody: options.includeBody ?? false,
    includeSender: options.includeSender ?? false,
    shouldPublish: options.shouldPublish,
    maxPublishErrors: Math.max(1, options.maxPublishErrors ?? 1),
    publishTimeout: options.publishTimeout ?? 30_000,
  };
}
