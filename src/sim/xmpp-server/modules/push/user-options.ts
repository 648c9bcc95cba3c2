import type { PushUserOptions } from "../../../../protocol/index.js";
import type { ResolvedPushOptions } from "./options.js";

/** What the server puts in one account's summaries, every option decided. */
export type UserSummaryOptions = Required<PushUserOptions>;

const KEYS: readonly (keyof PushUserOptions)[] = ["includeSenders", "includeMessageCount", "includeSubscriptionCount", "includeMessageBodies"];

/** The configuration's answer to each per-user option: royneary's `get_global_config`. */
export function configuredUserOptions(options: ResolvedPushOptions): UserSummaryOptions {
  return {
    includeSenders: options.includeSender,
    includeMessageCount: options.messageCount !== "none",
    includeSubscriptionCount: options.includeSubscriptionCount,
    includeMessageBodies: options.includeBody !== false,
  };
}

/**
 * Per-account options, kept while the account has registrations (royneary keeps them on its
 * push_user record, deleted with the last subscription). An enable may turn an option off,
 * never on again — except, with `first-enable-sets`, the account's first enable.
 */
export class UserOptionsBook {
  readonly #byAccount = new Map<string, UserSummaryOptions>();

  constructor(
    private readonly configured: UserSummaryOptions,
    private readonly mode: ResolvedPushOptions["userOptions"],
    private readonly registered: (account: string) => boolean,
  ) {}

  of(account: string): UserSummaryOptions {
    return (this.registered(account) && this.#byAccount.get(account)) || this.configured;
  }

  /**
   * Applies an enable's options form, before its registration is added; returns the options it
   * accepted (royneary answers with them). A refused change keeps the old value, silently.
   */
  enable(account: string, requested: PushUserOptions | undefined): PushUserOptions {
    if (this.mode === "none") return {};
    const first = !this.registered(account);
    const current = this.of(account);
    const next = { ...current };
    const accepted: PushUserOptions = {};
    for (const key of KEYS) {
      const value = requested?.[key];
      if (value === undefined) continue;
      const allowed = (first && this.mode === "first-enable-sets") || value === current[key] || !value;
      if (!allowed) continue;
      next[key] = value;
      accepted[key] = value;
    }
    this.#byAccount.set(account, next);
    return accepted;
  }
}
