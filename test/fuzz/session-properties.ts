import fc from "fast-check";
import type { LinkAcceptor } from "../../src/sim/index.js";
import { runCase } from "./case-problems.js";
import { FRAMINGS } from "./client-framing.js";
import type { EscapeLog } from "./escape-log.js";
import { byteMutation, type FuzzCase, fuzzCase, type Mutation, textMutation } from "./fuzz-case.js";
import { expectNoProblems, type FuzzProperty, fuzzProperty } from "./fuzz-property.js";
import { createFuzzServer } from "./fuzz-server.js";
import { healthProblem } from "./health-check.js";
import type { Framing } from "./recording-link.js";
import type { SessionScript } from "./session-script.js";
import { validSession } from "./valid-session.js";

/** A fresh client checks that the shared server still serves after this many cases (and at the end). */
const HEALTH_EVERY = 20;

function sessionOf(framings: readonly Framing[], secure: boolean): fc.Arbitrary<SessionScript> {
  return fc.constantFrom(...framings).chain((framing) => validSession(framing, secure));
}

interface DamagedSessionsOptions {
  readonly framings: readonly Framing[];
  /** Secure links log in with PLAIN, the others with SCRAM-SHA-1, which costs two PBKDF2 runs per login. */
  readonly secure: boolean;
  readonly mutation: fc.Arbitrary<Mutation | undefined>;
  readonly encoding: fc.Arbitrary<FuzzCase["encoding"]>;
  /** How long connections stay open after their script, for the server's timers to act on them. */
  readonly lingerMs?: number;
  readonly serverOptions?: Parameters<typeof createFuzzServer>[1];
}

/**
 * Damaged client data into one long-lived server: nothing escapes (no throw out of
 * `receive`/`disconnected`, no internal-error, no unhandled rejection), every frame the server
 * sends is well-formed, and the server keeps serving fresh clients.
 */
function damagedSessions(name: string, weight: number, options: DamagedSessionsOptions): FuzzProperty {
  return fuzzProperty(name, weight, (log) => {
    const fuzz = createFuzzServer(log, options.serverOptions);
    let cases = 0;
    return {
      property: fc.asyncProperty(fuzzCase(sessionOf(options.framings, options.secure), options.mutation, options.encoding), async (input) => {
        const { problems } = await runCase(fuzz.server, input, log, options.lingerMs);
        if (++cases % HEALTH_EVERY === 0) problems.push(...healthProblems(fuzz.server, log));
        expectNoProblems(problems);
      }),
      async finish() {
        const problem = healthProblem(fuzz.server, log);
        await fuzz.close();
        return problem;
      },
    };
  });
}

function healthProblems(server: LinkAcceptor, log: EscapeLog): string[] {
  const problem = healthProblem(server, log);
  return problem ? [problem] : [];
}

export const framedTextSessions = damagedSessions("RFC 7395 frames, mutated text", 15, {
  framings: ["rfc7395"],
  secure: true,
  mutation: fc.option(textMutation, { nil: undefined, freq: 8 }),
  encoding: fc.constant("text"),
});

export const xmlStreamTextSessions = damagedSessions("RFC 6120 stream, mutated text", 14, {
  framings: ["rfc6120"],
  secure: true,
  mutation: fc.option(textMutation, { nil: undefined, freq: 8 }),
  encoding: fc.constant("text"),
});

export const invalidUtf8Sessions = damagedSessions("either framing, mutated UTF-8 bytes", 8, {
  framings: FRAMINGS,
  secure: true,
  mutation: byteMutation,
  encoding: fc.constant("bytes"),
});

export const scramSessions = damagedSessions("insecure links (SCRAM-SHA-1), mutated text or bytes", 2, {
  framings: FRAMINGS,
  secure: false,
  mutation: fc.option(fc.oneof(textMutation, byteMutation), { nil: undefined, freq: 4 }),
  encoding: fc.constantFrom("text", "bytes"),
});

export const lingeringSessions = damagedSessions("connections left open until the server's timers fire", 1, {
  framings: FRAMINGS,
  secure: true,
  mutation: fc.option(textMutation, { nil: undefined, freq: 2 }),
  encoding: fc.constantFrom("text", "bytes"),
  lingerMs: 12,
  serverOptions: { authTimeout: 4, streamManagement: { resumeTimeout: 4, ackDelay: 2, maxQueueSize: 4 }, push: { publishTimeout: 4 } },
});
