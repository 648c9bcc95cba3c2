/** Resolves after `ms` milliseconds: for tests that must let asynchronous work run before checking that nothing happened. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
