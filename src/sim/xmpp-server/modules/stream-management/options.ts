/** XEP-0198 stream management. */
export interface StreamManagementOptions {
  /** Offer stream management (default true). */
  enabled?: boolean;
  /** How long a session whose connection dropped stays resumable, ms (default 300 000). */
  resumeTimeout?: number;
  /**
   * How long a push user's session (its account has push enabled) stays resumable instead, ms
   * (default: `resumeTimeout`). royneary's mod_push overrides `resume_timeout` "to keep them
   * pending for a long time": 100 days.
   */
  pushResumeTimeout?: number;
  /**
   * How long a message may stay unacknowledged on a live connection before it pushes anyway,
   * ms (Prosody's `smacks_max_ack_delay`, default 30 000).
   */
  ackDelay?: number;
  /**
   * The most unacknowledged stanzas a session may hold (default 10 000; Prosody's
   * `smacks_max_queue_size` is 500, which a burst of offline messages at login can pass). A live
   * session over it ends with `policy-violation`, a hibernated one ends; either way its
   * unacknowledged messages go to offline storage.
   */
  maxQueueSize?: number;
}

export type ResolvedStreamManagement = Required<StreamManagementOptions>;

/** A preset's stream management options under the explicit ones. */
export function resolveStreamManagement(options: StreamManagementOptions = {}, preset: StreamManagementOptions = {}): ResolvedStreamManagement {
  options = { ...preset, ...Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) };
  const resumeTimeout = options.resumeTimeout ?? 300_000;
  return {
    enabled: options.enabled ?? true,
    resumeTimeout,
    pushResumeTimeout: options.pushResumeTimeout ?? resumeTimeout,
    ackDelay: options.ackDelay ?? 30_000,
    maxQueueSize: options.maxQueueSize ?? 10_000,
  };
}
