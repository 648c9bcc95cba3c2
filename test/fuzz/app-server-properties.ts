import fc from "fast-check";
import { type Element, NS, parseStanzaError } from "../../src/protocol/index.js";
import { type AppServerDialectName, createAppServer } from "../../src/sim/index.js";
import { appServerRequest, type AppServerMemory, remember } from "./app-server-requests.js";
import { dialectCommandRequest, dialectSet } from "./dialect-requests.js";
import { damageElement, elementDamage } from "./element-mutations.js";
import { describe as describeError } from "./escape-log.js";
import { expectNoProblems, fuzzProperty } from "./fuzz-property.js";
import { APP_SERVER_JID } from "./fuzz-server.js";

const ANSWER_WITHIN_MS = 1_000;

type Settled = { answer: Element } | { rejection: unknown } | { timedOut: true };

async function settleWithin(answer: Promise<Element>, ms: number): Promise<Settled> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<Settled>((resolve) => {
    timer = setTimeout(() => resolve({ timedOut: true }), ms);
  });
  try {
    return await Promise.race([answer.then((value): Settled => ({ answer: value }), (rejection: unknown): Settled => ({ rejection })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * What is wrong with the app server's answer to `request`: it must resolve to an IQ result or
 * error with the request's id, and never `internal-server-error`, which the app server answers
 * only when something other than a refusal (a PushError) was thrown — but for v1's own answer
 * to a publish its push handler cannot take (V1-8: mod_push_appserver registers any `type` and
 * answers `wait/internal-server-error` when no handler serves it).
 */
function answerProblem(request: Element, settled: Settled, dialects: readonly AppServerDialectName[]): string | undefined {
  if ("timedOut" in settled) return `no answer within ${ANSWER_WITHIN_MS} ms`;
  if ("rejection" in settled) return `handleIq rejected: ${describeError(settled.rejection)}`;
  const { answer } = settled;
  const type = answer.attrs.type;
  if (answer.name !== "iq" || (type !== "result" && type !== "error")) return `answered with ${answer.toString().slice(0, 300)}`;
  if (answer.attrs.id !== request.attrs.id) return `answered id '${String(answer.attrs.id)}' to id '${String(request.attrs.id)}'`;
  if (type === "error" && parseStanzaError(answer).condition === "internal-server-error" && !isV1HandlerFailure(request, answer, dialects)) {
    return `internal-server-error: ${answer.toString().slice(0, 500)}`;
  }
  return undefined;
}

function isV1HandlerFailure(request: Element, answer: Element, dialects: readonly AppServerDialectName[]): boolean {
  const error = parseStanzaError(answer);
  return dialects.includes("v1") && request.getChild("pubsub", NS.pubsub) !== undefined && error.type === "wait" && error.message !== error.condition;
}

/** v1's throttle window (V1-9), short enough that a held-back publish is answered within the wait. */
const V1_RATE_LIMIT_MS = 20;

/** Requests of every dialect, whichever the app server speaks: those of another dialect must be refused cleanly too. */
const anyDialectRequest = fc.oneof({ arbitrary: appServerRequest, weight: 3 }, { arbitrary: dialectCommandRequest, weight: 2 });

export const appServerRequests = fuzzProperty("app server, each dialect and all: mutated disco, command and publish IQs are answered", 12, () => ({
  property: fc.asyncProperty(fc.tuple(dialectSet, fc.array(fc.tuple(anyDialectRequest, fc.option(elementDamage, { nil: undefined, freq: 2 })), { minLength: 1, maxLength: 8 })), async ([dialects, steps]) => {
    const appServer = createAppServer({ jid: APP_SERVER_JID, dialects, v1RateLimit: V1_RATE_LIMIT_MS });
    const memory: AppServerMemory = {};
    const problems: string[] = [];
    for (const [index, [request, damage]] of steps.entries()) {
      const iq = damageElement(request(memory, `r${index}`), damage);
      // handleIq takes IQs only: the component's receive() drops any other stanza before it.
      iq.name = "iq";
      let settled: Settled;
      try {
        settled = await settleWithin(appServer.handleIq(iq), ANSWER_WITHIN_MS);
      } catch (error) {
        settled = { rejection: error };
      }
      const problem = answerProblem(iq, settled, dialects);
      if (problem) problems.push(`request ${index}: ${problem}\n  on ${iq.toString().slice(0, 500)}`);
      if ("answer" in settled) remember(memory, settled.answer);
    }
    expectNoProblems(problems);
  }),
}));
