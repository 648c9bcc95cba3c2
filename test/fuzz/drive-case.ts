import type { LinkAcceptor, ServerSession } from "../../src/sim/index.js";
import { applyByteEdits, concatBytes } from "./byte-mutations.js";
import { splitIntoChunks } from "./chunking.js";
import type { EscapeLog } from "./escape-log.js";
import type { FuzzCase, Mutation } from "./fuzz-case.js";
import { RecordingLink } from "./recording-link.js";
import { type ConnectionScript, renderTurn, type Turn } from "./session-script.js";
import { applyTextEdits } from "./text-mutations.js";

/**
 * How long a client waits for an answer it expects. On secure links the server answers at once,
 * the app server after a few promise steps; SCRAM (on the others) runs PBKDF2 off the main thread,
 * which a busy machine can delay: an undamaged stream is always answered, so its client waits
 * long, while a damaged one may never be and its client gives up soon.
 */
const ANSWER_WAIT_MS = { secure: 0, insecure: 5_000, insecureDamaged: 100 };

export interface ConnectionRun {
  readonly script: ConnectionScript;
  readonly link: RecordingLink;
  readonly session: ServerSession | undefined;
}

/** Runs a case's connections one after the other; connections it keeps open stay so until `endCase`. */
export async function driveCase(server: LinkAcceptor, input: FuzzCase, log: EscapeLog): Promise<ConnectionRun[]> {
  const runs: ConnectionRun[] = [];
  const { script } = input;
  const target = input.mutation && { ...input.mutation, connection: input.mutation.connection % script.connections.length };
  for (const [index, connection] of script.connections.entries()) {
    const link = new RecordingLink(script.framing, script.secure);
    const session = guarded(log, "accept", () => server.accept(link));
    const run: ConnectionRun = { script: connection, link, session };
    runs.push(run);
    if (!session) continue;
    const earlierOutput = runs.flatMap((earlier) => (earlier === run ? [] : earlier.link.sent));
    await driveConnection(run, session, input, target?.connection === index ? target : undefined, earlierOutput, log);
    if (connection.ending === "drop") guarded(log, "disconnected", () => session.disconnected());
  }
  await settle();
  return runs;
}

async function driveConnection(run: ConnectionRun, session: ServerSession, input: FuzzCase, mutation: Mutation | undefined, earlierOutput: readonly string[], log: EscapeLog): Promise<void> {
  const turns = run.script.turns;
  const mutatedTurn = mutation ? mutation.turn % turns.length : -1;
  const waitMs = (damaged: boolean): number => (run.link.secure ? ANSWER_WAIT_MS.secure : damaged ? ANSWER_WAIT_MS.insecureDamaged : ANSWER_WAIT_MS.insecure);
  for (let start = 0; start < turns.length; ) {
    const flight = flightFrom(turns, start);
    const pieces: (string | Uint8Array)[] = [];
    let truncated = false;
    for (const [offset, turn] of flight.entries()) {
      const piece = encodeTurn(renderTurn(turn.content, { output: run.link.sent, earlierOutput }), input.encoding, start + offset === mutatedTurn ? mutation : undefined);
      pieces.push(piece.data);
      if (piece.truncated) {
        truncated = true;
        break;
      }
    }
    const before = run.link.sent.length;
    for (const chunk of chunksOf(pieces, input.chunkSizes)) guarded(log, "receive", () => session.receive(chunk));
    if (truncated || run.link.closed) return;
    if (flight.at(-1)?.awaitsAnswer) await answerOrTimeout(run.link, before, waitMs(mutatedTurn !== -1 && mutatedTurn < start + flight.length));
    start += flight.length;
  }
}

/** The turns a client sends without waiting: up to and including the next one that awaits an answer. */
function flightFrom(turns: readonly Turn[], start: number): Turn[] {
  const end = turns.findIndex((turn, index) => index >= start && turn.awaitsAnswer);
  return turns.slice(start, end === -1 ? turns.length : end + 1);
}

function encodeTurn(text: string, encoding: FuzzCase["encoding"], mutation: Mutation | undefined): { data: string | Uint8Array; truncated: boolean } {
  const edited = applyTextEdits(text, mutation?.text ?? []);
  if (encoding === "text") return { data: edited.text, truncated: edited.truncated };
  const bytes = applyByteEdits(new TextEncoder().encode(edited.text), mutation?.bytes ?? []);
  return { data: bytes.bytes, truncated: edited.truncated || bytes.truncated };
}

/** Each turn whole when there are no chunk sizes; else the flight as one stream, cut anywhere. */
function chunksOf(pieces: readonly (string | Uint8Array)[], sizes: readonly number[]): (string | Uint8Array)[] {
  if (sizes.length === 0) return [...pieces];
  const joined = pieces.every((piece) => typeof piece === "string") ? pieces.join("") : concatBytes(pieces.map(toBytes));
  return splitIntoChunks(joined, sizes);
}

function toBytes(piece: string | Uint8Array): Uint8Array {
  return typeof piece === "string" ? new TextEncoder().encode(piece) : piece;
}

async function answerOrTimeout(link: RecordingLink, before: number, waitMs: number): Promise<void> {
  const deadline = performance.now() + waitMs;
  do await nextMacrotask();
  while (link.sent.length === before && !link.closed && performance.now() < deadline);
}

/** Disconnects the connections a case kept open, as a client that goes away does. */
export function endCase(runs: readonly ConnectionRun[], log: EscapeLog): void {
  for (const run of runs) if (run.session && !run.link.closed) guarded(log, "disconnected", () => run.session?.disconnected());
}

/** Lets promise chains (app server replies, SASL steps already computed) run out. */
export async function settle(): Promise<void> {
  for (let round = 0; round < 3; round++) await nextMacrotask();
}

export function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function guarded<Result>(log: EscapeLog, context: string, work: () => Result): Result | undefined {
  try {
    return work();
  } catch (error) {
    log.thrown(error, context);
    return undefined;
  }
}
