import { randomHex } from "../../src/protocol/random.js";
import { sleep } from "../helpers/wait.js";

/** A database name no other test uses: every test starts from an empty database. */
export function freshDbName(): string {
  return `xmpp-push-test-${randomHex(8)}`;
}

/**
 * A Web Locks stand-in (happy-dom 21's `navigator.locks` is null): exclusive locks granted in
 * request order per name. It records every request so tests can check what IdbStore asked for.
 */
export function fakeLockManager(): { locks: LockManager; requests: { name: string; mode: LockMode | undefined }[] } {
  const tails = new Map<string, Promise<unknown>>();
  const requests: { name: string; mode: LockMode | undefined }[] = [];
  const request = (name: string, options: LockOptions, callback: (lock: Lock | null) => unknown): Promise<unknown> => {
    requests.push({ name, mode: options.mode });
    const previous = tails.get(name) ?? Promise.resolve();
    const run = previous.then(() => callback({ name, mode: options.mode ?? "exclusive" } as Lock));
    tails.set(
      name,
      run.catch(() => undefined),
    );
    return run;
  };
  return { locks: { request, query: async () => ({ held: [], pending: [] }) } as unknown as LockManager, requests };
}

/** Runs the lockers concurrently, each inside `lock`, and returns the enter/leave trace. */
export async function traceConcurrentLockUsers(
  lockers: ((task: () => Promise<string>) => Promise<string>)[],
  holdMs = 30,
): Promise<{ trace: string[]; results: string[] }> {
  const trace: string[] = [];
  const results = await Promise.all(
    lockers.map((lock, index) =>
      lock(async () => {
        trace.push(`enter ${index}`);
        await sleep(holdMs);
        trace.push(`leave ${index}`);
        return `result ${index}`;
      }),
    ),
  );
  return { trace, results };
}

/** True when no two users were inside at once: the trace alternates enter i / leave i. */
export function serialized(trace: string[]): boolean {
  for (let index = 0; index < trace.length; index += 2) {
    const entered = trace[index]?.split(" ");
    const left = trace[index + 1]?.split(" ");
    if (entered?.[0] !== "enter" || left?.[0] !== "leave" || entered[1] !== left[1]) return false;
  }
  return true;
}
