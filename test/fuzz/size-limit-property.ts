import fc from "fast-check";
import { FRAMINGS } from "./client-framing.js";
import { runCase } from "./case-problems.js";
import type { FuzzCase } from "./fuzz-case.js";
import { expectNoProblems, fuzzProperty } from "./fuzz-property.js";
import { FUZZ_LIMITS, onFuzzServer } from "./fuzz-server.js";
import { text } from "./session-script.js";
import { plainLogin } from "./valid-session.js";

/** The `length` first characters of a message stanza: all of it, or a beginning whose rest would come later. */
export interface SizeCase {
  readonly framing: FuzzCase["script"]["framing"];
  readonly length: number;
  readonly finished: boolean;
  readonly chunkSizes: readonly number[];
}

const OPEN = "<message to='bob@example.test'><body>";
const CLOSE = "</body></message>";

function asFuzzCase({ framing, length, finished, chunkSizes }: SizeCase): FuzzCase {
  const end = finished ? CLOSE : "";
  const stanza = `${OPEN}${"x".repeat(Math.max(0, length - OPEN.length - end.length))}${end}`;
  return {
    script: { framing, secure: true, connections: [{ username: "alice", turns: [...plainLogin(framing, "alice", "r"), text("stanza", stanza)], ending: "keep" }] },
    mutation: undefined,
    chunkSizes,
    encoding: "text",
  };
}

/** A counterexample: 4 097 characters of an unfinished stanza in one piece, half the 8 192 limit, count as 8 194. */
export const HALF_THE_LIMIT_IN_ONE_PIECE: SizeCase = { framing: "rfc7395", length: 4_097, finished: false, chunkSizes: [] };

export const stanzaSizeLimit = fuzzProperty(
  "a stanza under maxStanzaSize is never refused as too big, however it arrives",
  2,
  (log) =>
    onFuzzServer(log, (fuzz) => ({
      property: fc.asyncProperty(
        fc.record({
          framing: fc.constantFrom(...FRAMINGS),
          length: fc.integer({ min: OPEN.length + CLOSE.length, max: FUZZ_LIMITS.maxStanzaSize }),
          finished: fc.boolean(),
          chunkSizes: fc.oneof(fc.constant([]), fc.array(fc.integer({ min: 1, max: 20_000 }), { minLength: 1, maxLength: 4 })),
        }),
        async (input) => {
          const { runs, problems } = await runCase(fuzz.server, asFuzzCase(input), log);
          const refusal = runs.flatMap((run) => run.link.sent).find((frame) => frame.includes("stanza-too-big"));
          expectNoProblems(refusal ? [...problems, `a ${input.length}-character stanza was refused: ${refusal}`] : problems);
        },
      ),
      examples: [HALF_THE_LIMIT_IN_ONE_PIECE],
    })),
);
