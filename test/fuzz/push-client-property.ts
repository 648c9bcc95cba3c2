import fc from "fast-check";
import { dialects, PushClient, PushError, rooms } from "../../src/index.js";
import { type AppServerDialectName, createAppServer, type XmppServer } from "../../src/sim/index.js";
import { asClient } from "../helpers/real-client.js";
import { dialectSet } from "./dialect-requests.js";
import { describe as describeError, type EscapeLog } from "./escape-log.js";
import { expectNoProblems, fuzzProperty } from "./fuzz-property.js";
import { APP_SERVER_JID, createLoggedServer, DOMAIN, USERS } from "./fuzz-server.js";
import { type AnswerPlan, answerPlan, throughHostilePeer } from "./hostile-answers.js";

/** Short, so that a case with several silent answers stays quick; a slow real answer is a timeout, which is allowed too. */
const TIMEOUT_MS = 40;
const ROOM = `team@conference.${DOMAIN}`;

/** One call of PushClient's public API. */
type Call =
  | { readonly kind: "isSupported"; readonly ahead: boolean }
  | { readonly kind: "pushFeatures" | "discover" | "listRegistrations" | "registrations" | "findPushComponent" | "online" }
  | { readonly kind: "subscribe"; readonly provider: string; readonly token: string; readonly room: boolean }
  | { readonly kind: "unregister"; readonly byDevice: boolean }
  | { readonly kind: "unsubscribe" };

const call: fc.Arbitrary<Call> = fc.oneof(
  fc.record({ kind: fc.constant("isSupported" as const), ahead: fc.boolean() }),
  fc.record({ kind: fc.constantFrom("pushFeatures" as const, "discover" as const, "listRegistrations" as const, "registrations" as const, "findPushComponent" as const, "online" as const) }),
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("subscribe" as const), provider: fc.constantFrom("fcm", "apns", "webpush"), token: fc.constantFrom("t1", "t2"), room: fc.boolean() }) },
  fc.record({ kind: fc.constant("unregister" as const), byDevice: fc.boolean() }),
  fc.record({ kind: fc.constant("unsubscribe" as const) }),
);

interface ClientCase {
  readonly served: readonly AppServerDialectName[];
  readonly calls: readonly Call[];
  readonly plans: readonly AnswerPlan[];
}

const clientCase: fc.Arbitrary<ClientCase> = fc.record({
  served: dialectSet,
  calls: fc.array(call, { minLength: 1, maxLength: 6 }),
  plans: fc.array(answerPlan, { minLength: 1, maxLength: 12 }),
});

/** What is wrong with what a call gave: it must resolve with a value of its type, or reject with a PushError. */
function outcomeProblem(name: string, outcome: PromiseSettledResult<unknown>): string | undefined {
  if (outcome.status === "rejected") return outcome.reason instanceof PushError ? undefined : `${name} rejected with ${describeError(outcome.reason)}`;
  const value = outcome.value as Record<string, unknown> | undefined;
  if (name === "subscribe" && !(typeof value?.jid === "string" && value.jid !== "" && typeof value.node === "string" && value.node !== "")) {
    return `subscribe resolved without a jid and node: ${JSON.stringify(value)}`;
  }
  if (name === "isSupported" && typeof value !== "boolean") return `isSupported resolved with ${String(value)}`;
  return undefined;
}

/** How a call ended, never rejecting: what `outcomeProblem` reads. */
function settled(outcome: Promise<unknown>): Promise<PromiseSettledResult<unknown>> {
  return outcome.then(
    (value) => ({ status: "fulfilled", value }),
    (reason: unknown) => ({ status: "rejected", reason }),
  );
}

function perform(push: PushClient, online: () => void, step: Call): Promise<unknown> {
  switch (step.kind) {
    case "isSupported":
      return push.isSupported(step.ahead ? { appServer: APP_SERVER_JID } : {});
    case "pushFeatures":
      return push.pushFeatures();
    case "discover":
      return push.discover(APP_SERVER_JID);
    case "listRegistrations":
      return push.listRegistrations(APP_SERVER_JID);
    case "registrations":
      return push.registrations();
    case "findPushComponent":
      return push.findPushComponent();
    case "online":
      online();
      return Promise.resolve();
    case "subscribe":
      return push.subscribe({ appServer: APP_SERVER_JID, provider: step.provider, token: step.token, ...(step.room ? { muc: ROOM } : {}) });
    case "unregister":
      return push.unregister(APP_SERVER_JID, step.byDevice ? { deviceId: "d" } : { nodes: ["n"] });
    case "unsubscribe":
      return push.unsubscribe();
  }
}

async function runClientCase(server: XmppServer, input: ClientCase): Promise<string[]> {
  // A new app server each case: registrations an earlier case left behind do not fill this one.
  const appServer = createAppServer({ jid: APP_SERVER_JID, dialects: input.served });
  const detach = server.attach(appServer);
  const xmpp = asClient(server.client({ username: "alice", password: USERS.alice, resource: "phone" }));
  xmpp.on("error", () => undefined);
  const problems: string[] = [];
  try {
    await xmpp.start();
    const push = new PushClient(throughHostilePeer(xmpp, [...input.plans]), { dialects, extensions: [rooms], timeout: TIMEOUT_MS });
    push.on("error", (error) => {
      if (!(error instanceof PushError)) problems.push(`an error event without a PushError: ${describeError(error)}`);
    });
    for (const step of input.calls) {
      const problem = outcomeProblem(step.kind, await settled(perform(push, () => xmpp.emit("online", xmpp.jid), step)));
      if (problem) problems.push(problem);
    }
    // Queued behind whatever a re-enable after "online" still does; the answers pass by now, mostly.
    const problem = outcomeProblem("unsubscribe", await settled(push.unsubscribe()));
    if (problem) problems.push(problem);
    push.dispose();
  } finally {
    xmpp.reconnect.stop();
    await xmpp.stop().catch(() => undefined);
    detach();
  }
  return problems;
}

export const pushClientAnswers = fuzzProperty(
  "PushClient through a hostile peer (edited, foreign, missing and failed answers): every call resolves with its type or rejects with a PushError",
  2,
  (log: EscapeLog) => {
    const server = createLoggedServer(log);
    return {
      property: fc.asyncProperty(clientCase, async (input) => expectNoProblems(await runClientCase(server, input))),
      async finish() {
        await server.close();
        return undefined;
      },
    };
  },
);
