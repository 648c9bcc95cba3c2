import fc from "fast-check";
import { type Element, parseStanzaError } from "../../src/protocol/index.js";
import { createAppServer } from "../../src/sim/index.js";
import { appServerRequest, type AppServerMemory, remember } from "./app-server-requests.js";
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
 * only when something other than a refusal (a PushError) was thrown.
 */
function answerProblem(request: Element, settled: Settled): string | undefined {
  if ("timedOut" in settled) return `no answer within ${ANSWER_WITHIN_MS} ms`;
  if ("rejection" in settled) return `handleIq rejected: ${describeError(settled.rejection)}`;
  const { answer } = settled;
  const type = answer.attrs.type;
  if (answer.name !== "iq" || (type !== "result" && type !== "error")) return `answered with ${answer.toString().slice(0, 300)}`;
  if (answer.attrs.id !== request.attrs.id) return `answered id '${String(answer.attrs.id)}' to id '${String(request.attrs.id)}'`;
  if (type === "error" && parseStanzaError(answer).condition === "internal-server-error") return `internal-server-error: ${answer.toString().slice(0, 500)}`;
  return undefined;
}

export const appServerRequests = fuzzProperty("app server: mutated disco, command and publish IQs are answered", 15, () => ({
  property: fc.asyncProperty(fc.array(fc.tuple(appServerRequest, fc.option(elementDamage, { nil: undefined, freq: 2 })), { minLength: 1, maxLength: 8 }), async (steps) => {
    const appServer = createAppServer({ jid: APP_SERVER_JID });
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
      const problem = answerProblem(iq, settled);
      if (problem) problems.push(`request ${index}: ${problem}\n  on ${iq.toString().slice(0, 500)}`);
      if ("answer" in settled) remember(memory, settled.answer);
    }
    expectNoProblems(problems);
  }),
}));
