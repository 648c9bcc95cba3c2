/**
 * Why the command line was refused (the process exits with code 2):
 * - `unknown-option`: an option the command does not have.
 * - `bad-value`: an option's value is missing or malformed.
 * - `conflict`: two options contradict each other.
 * - `unexpected-argument`: an argument that is not an option.
 */
export type UsageErrorCondition = "unknown-option" | "bad-value" | "conflict" | "unexpected-argument";

export class UsageError extends Error {
  override readonly name = "UsageError";
  readonly condition: UsageErrorCondition;

  constructor(condition: UsageErrorCondition, message: string) {
    super(message);
    this.condition = condition;
  }
}
