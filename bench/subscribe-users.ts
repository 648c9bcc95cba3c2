import { performance } from "node:perf_hooks";
import { dialects, PushClient, push2, type Registration, rooms } from "xmpp-push";
import type { XmppServer } from "xmpp-push/sim";

/** Users logged in at once while the run is set up. */
const BATCH = 50;

/**
 * Each user logs in through a real @xmpp/client, turns push on with `subscribe`, and logs out
 * (offline from then on), `BATCH` at a time. Returns the registrations by username and the seconds it took.
 */
export async function subscribeUsers<R = Registration>(
  server: XmppServer,
  usernames: readonly string[],
  subscribe: (push: PushClient, username: string, xmpp: ReturnType<XmppServer["client"]>) => Promise<R>,
): Promise<{ registrations: Map<string, R>; seconds: number }> {
  const start = performance.now();
  const registrations = new Map<string, R>();
  for (let first = 0; first < usernames.length; first += BATCH) {
    await Promise.all(
      usernames.slice(first, first + BATCH).map(async (username) => {
        const xmpp = server.client({ username, password: "pw", resource: "phone" });
        await xmpp.start();
        registrations.set(username, await subscribe(new PushClient(xmpp, { reenable: false, dialects, extensions: [push2, rooms] }), username, xmpp));
        await xmpp.stop();
      }),
    );
  }
  return { registrations, seconds: (performance.now() - start) / 1000 };
}

/** `${prefix}0` … `${prefix}${count - 1}`. */
export function usernames(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix}${index}`);
}

/** What the whole process used: heap and resident set, MiB. */
export function memory(): string {
  const { heapUsed, rss } = process.memoryUsage();
  return `heap ${(heapUsed / 1024 / 1024).toFixed(1)} MiB, rss ${(rss / 1024 / 1024).toFixed(1)} MiB`;
}
