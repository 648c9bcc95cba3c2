import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { dialects, MemoryStore, PushClient, type Registration } from "../../src/index.js";
import type { AppServerDialectName } from "../../src/sim/index.js";
import { APP_SERVER, type Chain, createChain, goOffline, record, waitFor } from "../helpers/chain.js";
import { cutSocket } from "../helpers/client-socket.js";
import { disable } from "../helpers/push-iq.js";

/**
 * "Never a stale or duplicate registration" as a property: after any sequence of subscribes
 * (some at once), unsubscribes, fresh sessions, registrations the server lost and network drops
 * in the middle of a subscribe, the store, the
 * app server and the user's server hold the same nodes, one per provider, with the token the
 * latest subscribe gave.
 */

/** Fixed, so that the same cases run every time. */
const SEED = 20_261_202;
const RUNS = Number(process.env.MODEL_RUNS ?? 12);

type Step =
  /** Subscribes started together, in this order. */
  | { readonly kind: "subscribe"; readonly calls: readonly { readonly provider: "fcm" | "apns"; readonly token: string }[] }
  | { readonly kind: "unsubscribe" }
  /** The client stops and starts again: a fresh session, which enables every stored registration again. */
  | { readonly kind: "restart" }
  /** Another client of the account disables everything (as a server that lost its registrations), then a fresh session. */
  | { readonly kind: "lost" }
  /**
   * The network drops while a subscribe is under way, once the app server has registered the
   * device or the user's server has enabled it, before the answer is back; the app, back online,
   * subscribes again.
   */
  | { readonly kind: "drop"; readonly at: "registered" | "enabled"; readonly provider: "fcm" | "apns"; readonly token: string };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("subscribe" as const),
      calls: fc.array(fc.record({ provider: fc.constantFrom("fcm" as const, "apns" as const), token: fc.constantFrom("t1", "t2", "t3") }), { minLength: 1, maxLength: 3 }),
    }),
  },
  fc.constant({ kind: "unsubscribe" as const }),
  fc.constant({ kind: "restart" as const }),
  fc.constant({ kind: "lost" as const }),
  fc.record({ kind: fc.constant("drop" as const), at: fc.constantFrom("registered" as const, "enabled" as const), provider: fc.constantFrom("fcm" as const, "apns" as const), token: fc.constantFrom("t1", "t4") }),
);

let chain: Chain | undefined;
afterEach(async () => {
  await chain?.close();
  chain = undefined;
});

async function freshSession(current: Chain, push: PushClient, xmpp: Awaited<ReturnType<Chain["connect"]>>): Promise<void> {
  const stored = (await push.registrations()).length;
  await goOffline(current, xmpp);
  const reenabled = record(push, "enabled");
  await xmpp.start();
  await waitFor(() => reenabled.length === stored, 3000, `${stored} re-enables`);
}

const nodesOf = (registrations: readonly { node: string }[]): string[] => registrations.map((registration) => registration.node).sort();

async function runSteps(dialect: AppServerDialectName, steps: readonly Step[]): Promise<void> {
  await chain?.close();
  // v1 throttles a device's registrations (5 s by default): a new token right after the last would be refused.
  chain = createChain({ appServer: { dialects: [dialect], v1RateLimit: 1 } });
  const current = chain;
  const xmpp = await current.connect("bob", "phone");
  // Back at once after a drop (1 s by default).
  xmpp.reconnect.delay = 0;
  const push = new PushClient(xmpp, { store: new MemoryStore(), dialects });
  const errors = record(push, "error");
  const expected = new Map<string, string>();

  for (const [index, next] of steps.entries()) {
    if (next.kind === "subscribe") {
      const results = await Promise.all(next.calls.map((call) => push.subscribe({ appServer: APP_SERVER, provider: call.provider, token: call.token })));
      for (const call of next.calls) expected.set(call.provider, call.token);
      expect(results.map((registration) => registration.token)).toEqual(next.calls.map((call) => call.token));
    } else if (next.kind === "drop") {
      let dropped = false;
      const cut = (): void => {
        dropped = true;
        cutSocket(xmpp);
      };
      if (next.at === "registered") current.appServer.once("registered", cut);
      else current.server.once("enabled", cut);
      // Whether the answer came before the drop or not, the app does not know: it subscribes again once back.
      await push.subscribe({ appServer: APP_SERVER, provider: next.provider, token: next.token }).catch(() => undefined);
      // A subscribe that had nothing to register or enable: no drop.
      current.appServer.off("registered", cut);
      current.server.off("enabled", cut);
      if (dropped) await waitFor(() => xmpp.status === "online", 3000, "back online");
      await push.subscribe({ appServer: APP_SERVER, provider: next.provider, token: next.token });
      expected.set(next.provider, next.token);
    } else if (next.kind === "unsubscribe") {
      expect((await push.unsubscribe()).errors).toEqual([]);
      expected.clear();
    } else {
      if (next.kind === "lost") await xmpp.iqCaller.request(disable(APP_SERVER));
      await freshSession(current, push, xmpp);
    }

    const stored: Registration[] = await push.registrations();
    const where = `after step ${index} (${next.kind}) of ${JSON.stringify(steps)}`;
    expect(Object.fromEntries(stored.map((registration) => [registration.provider, registration.token])), where).toEqual(Object.fromEntries(expected));
    expect(nodesOf(current.appServer.registrations("bob@example.test")), where).toEqual(nodesOf(stored));
    expect(nodesOf(current.server.registrations("bob")), where).toEqual(nodesOf(stored));
  }
  // Only a drop fails a step (what it left to undo is reported); nothing else goes wrong.
  expect(errors.filter(([error]) => error.condition !== "disconnected")).toEqual([]);
}

describe("registrations in the store, at the app server and at the user's server agree (C12, C13, C15, C16)", () => {
  for (const dialect of ["mod-push", "p2", "v1", "tigase"] as const) {
    it(`with ${dialect}: after any sequence of subscribes, unsubscribes, fresh sessions, lost registrations and drops mid-subscribe`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), (steps) => runSteps(dialect, steps)),
        { numRuns: RUNS, seed: SEED },
      );
    });
  }
});
