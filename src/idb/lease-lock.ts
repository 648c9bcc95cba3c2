import { PushError } from "../protocol/errors.js";
import { randomHex } from "../protocol/random.js";
import type { RegistrationDatabase } from "./database.js";

export interface LeaseOptions {
  /** Milliseconds a lease lasts without renewal: how long a crashed tab can keep others waiting. */
  lease: number;
  /** Milliseconds to wait for another holder before giving up with `PushError('timeout')`. */
  timeout: number;
}

/**
 * The cross-tab lock for browsers without Web Locks: a record in the `locks` store, taken by a
 * compare-and-set inside ONE readwrite transaction. IndexedDB runs readwrite transactions over
 * the same store one at a time, across every connection of the origin, so two tabs cannot both
 * see the lock free and both take it. The holder renews its lease while the task runs; a tab
 * that dies leaves a lease that expires after `lease` ms.
 *
 * Guarantee: exclusive as long as the holder's timers fire at least once per lease. A tab frozen
 * for longer (a suspended background tab, a debugger pause) loses the lock while its task may
 * still run; Web Locks have no such gap, which is why they are preferred.
 */
export async function withLeaseLock<T>(
  connect: () => Promise<RegistrationDatabase>,
  name: string,
  task: () => Promise<T>,
  options: LeaseOptions,
): Promise<T> {
  const owner = randomHex(16);
  const deadline = Date.now() + options.timeout;
  for (let delay = 5; !(await take(await connect(), name, owner, options.lease)); delay = Math.min(delay * 2, 200)) {
    if (Date.now() + delay > deadline) throw new PushError("timeout", `lock '${name}' still held by another tab after ${options.timeout} ms`);
    await sleep(delay);
  }
  // A failed renewal is retried at the next tick; only a long freeze lets the lease lapse.
  const renewal = setInterval(() => void connect().then((db) => take(db, name, owner, options.lease)).catch(() => undefined), options.lease / 3);
  try {
    return await task();
  } finally {
    clearInterval(renewal);
    // If the release fails the lease still expires by itself; the task's outcome matters more.
    await connect()
      .then((db) => release(db, name, owner))
      .catch(() => undefined);
  }
}

/** Takes (or renews) the lease when it is free, expired or already ours. */
async function take(db: RegistrationDatabase, name: string, owner: string, lease: number): Promise<boolean> {
  const transaction = db.transaction("locks", "readwrite");
  const held = await transaction.store.get(name);
  const now = Date.now();
  const free = !held || held.owner === owner || held.expires <= now;
  if (free) await Promise.all([transaction.store.put({ name, owner, expires: now + lease }), transaction.done]);
  else await transaction.done;
  return free;
}

async function release(db: RegistrationDatabase, name: string, owner: string): Promise<void> {
  const transaction = db.transaction("locks", "readwrite");
  if ((await transaction.store.get(name))?.owner === owner) await Promise.all([transaction.store.delete(name), transaction.done]);
  else await transaction.done;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
