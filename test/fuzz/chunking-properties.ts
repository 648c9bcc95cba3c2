import fc from "fast-check";
import { type CaseResult, runCase } from "./case-problems.js";
import { FRAMINGS } from "./client-framing.js";
import type { EscapeLog } from "./escape-log.js";
import { type FuzzCase, textMutation } from "./fuzz-case.js";
import { expectNoProblems, fuzzProperty } from "./fuzz-property.js";
import { createFuzzServer, FUZZ_LIMITS } from "./fuzz-server.js";
import { firstDifference, normalizedOutput } from "./normalized-output.js";
import { damagedTurn } from "./damaged-turn.js";
import { renderTurn, type Turn } from "./session-script.js";
import { validSession } from "./valid-session.js";
import { answerProblems } from "./valid-session-answers.js";

const someChunks = fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 8 });
const anyEncoding = fc.constantFrom<FuzzCase["encoding"]>("text", "bytes");

/** Each run gets a server of its own, so that both see the same state; resumable long enough for a SCRAM login. */
async function runOnFreshServer(input: FuzzCase, log: EscapeLog): Promise<CaseResult> {
  const fuzz = createFuzzServer(log, { streamManagement: { ...FUZZ_LIMITS.streamManagement, resumeTimeout: 10_000, maxQueueSize: 10_000 } });
  try {
    return await runCase(fuzz.server, input, log);
  } finally {
    await fuzz.close();
  }
}

/** Runs a case with each turn in one piece and again cut into chunks; both must go well and give the same output. */
async function chunkingProblems(input: FuzzCase, log: EscapeLog): Promise<{ problems: string[]; chunked: CaseResult }> {
  const whole = await runOnFreshServer({ ...input, chunkSizes: [] }, log);
  const chunked = await runOnFreshServer(input, log);
  const difference = firstDifference(normalizedOutput(whole.runs), normalizedOutput(chunked.runs));
  return { problems: [...whole.problems, ...chunked.problems.map((problem) => `chunked: ${problem}`), ...(difference ? [difference] : [])], chunked };
}

/** Mostly secure links: SCRAM on the others costs two PBKDF2 runs per login. */
const secure = fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, { arbitrary: fc.constant(false), weight: 1 });

export const validSessionChunking = fuzzProperty("valid sessions: answered, and the same whatever the chunking", 4, (log) => ({
  property: fc.asyncProperty(
    fc.record({
      script: fc.tuple(fc.constantFrom(...FRAMINGS), secure).chain(([framing, isSecure]) => validSession(framing, isSecure)),
      mutation: fc.constant(undefined),
      chunkSizes: someChunks,
      encoding: anyEncoding,
    }),
    async (input) => {
      const { problems, chunked } = await chunkingProblems(input, log);
      // The answers are checked once, on the run fed in chunks.
      expectNoProblems([...problems, ...answerProblems(chunked.runs)]);
    },
  ),
}));

/**
 * Damaged input must be judged the same whatever the chunking, with three exceptions the
 * server is allowed: over RFC 6120 what follows a successful `<auth/>` in the same piece is
 * discarded (the client may send nothing before `<success/>`; a damaged turn may carry an
 * `<auth/>` of its own), a stanza over the size limit may be caught at a chunk's end before a
 * later syntax error, and SCRAM holds elements while it computes. A turn built from the server's
 * random output (a resumption's previd) is not damaged: the two runs would damage different text.
 */
function comparable(input: FuzzCase): boolean {
  const damaged = damagedTurn(input);
  if (!input.script.secure || !damaged || damaged.text === undefined) return false;
  const afterSasl = damaged.turns.slice(damaged.index).every((later) => later.role !== "sasl");
  if (input.script.framing === "rfc6120" && !afterSasl) return false;
  return clientLength(input, damaged.turn, damaged.text) < FUZZ_LIMITS.maxStanzaSize;
}

/** What the client sends in all, the damage included: under the size limit no stanza can pass it. */
function clientLength(input: FuzzCase, damaged: Turn, damagedText: string): number {
  const turns = input.script.connections.flatMap((connection) => connection.turns);
  return turns.reduce((total, turn) => total + (turn === damaged ? damagedText : renderTurn(turn.content, { output: [], earlierOutput: [] })).length, 0);
}

export const damagedSessionChunking = fuzzProperty("mutated sessions: the same answers whatever the chunking", 6, (log) => ({
  property: fc.asyncProperty(
    fc
      .record({
        script: fc.constantFrom(...FRAMINGS).chain((framing) => validSession(framing, true)),
        mutation: textMutation,
        chunkSizes: someChunks,
        encoding: anyEncoding,
      })
      .filter((input) => comparable(input)),
    async (input) => expectNoProblems((await chunkingProblems(input, log)).problems),
  ),
}));
