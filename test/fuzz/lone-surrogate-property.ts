import fc from "fast-check";
import { runCase } from "./case-problems.js";
import { FRAMINGS } from "./client-framing.js";
import { expectNoProblems, fuzzProperty } from "./fuzz-property.js";
import { onFuzzServer } from "./fuzz-server.js";
import { messageToOwnFullJid } from "./own-message-case.js";

/** The shrunk counterexample: a high surrogate with no low one after it. */
export const LONE_HIGH_SURROGATE = "\ud800x";

const bodyWithLoneSurrogate = fc
  .tuple(fc.string({ maxLength: 8 }), fc.integer({ min: 0xd800, max: 0xdfff }), fc.string({ maxLength: 8 }))
  .map(([before, unit, after]) => `${before}${String.fromCharCode(unit)}${after}`)
  // A high surrogate followed by a low one is a pair, and a pair is a character like any other.
  .filter((body) => /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(body));

export const loneSurrogates = fuzzProperty(
  "a lone surrogate in client text is refused, never routed on",
  1,
  (log) =>
    onFuzzServer(log, (fuzz) => ({
      property: fc.asyncProperty(fc.record({ framing: fc.constantFrom(...FRAMINGS), body: bodyWithLoneSurrogate }), async ({ framing, body }) => {
        expectNoProblems((await runCase(fuzz.server, messageToOwnFullJid(framing, `<body>${body}</body>`), log)).problems);
      }),
      examples: [{ framing: "rfc7395", body: LONE_HIGH_SURROGATE }],
    })),
);
