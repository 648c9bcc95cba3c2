import { type Element, parseXml } from "../../src/protocol/index.js";
import type { ConnectionRun } from "./drive-case.js";
import { APP_SERVER_JID } from "./fuzz-server.js";

/**
 * What a well-behaved client must get from the server: its login succeeds, and on a connection
 * that bound (or resumed) a session no stream error and one answer to every IQ request — none
 * or one for requests to the app server, whose answers come asynchronously and may find the
 * stream already closed by the client.
 */
export function answerProblems(runs: readonly ConnectionRun[]): string[] {
  const problems: string[] = [];
  const [first] = runs;
  if (first && !first.link.sent.some((frame) => frame.startsWith("<success "))) problems.push("connection 0: a valid login did not succeed");
  for (const [index, run] of runs.entries()) {
    if (!isBound(run, index)) continue;
    if (run.link.sent.some((frame) => frame.startsWith("<stream:error"))) problems.push(`connection ${index}: a stream error in a valid session`);
    for (const request of iqRequests(run)) {
      const answers = run.link.sent.filter((frame) => isAnswerTo(frame, request.id)).length;
      const allowed = isAtAppServer(request.to) ? [0, 1] : [1];
      if (!allowed.includes(answers)) problems.push(`connection ${index}: IQ '${request.id}' to ${request.to ?? "the account"} got ${answers} answers`);
    }
  }
  return problems;
}

function isBound(run: ConnectionRun, index: number): boolean {
  return run.link.sent.some((frame) => frame.startsWith("<resumed ") || (isAnswerTo(frame, `c${index}-bind`) && frame.includes('type="result"')));
}

function iqRequests(run: ConnectionRun): { id: string; to: string | undefined }[] {
  return run.script.turns.flatMap((turn) => {
    if (turn.role !== "stanza" || turn.content.kind !== "text" || !turn.content.text.startsWith("<iq")) return [];
    const iq: Element = parseXml(turn.content.text);
    const { id, to, type } = iq.attrs as Record<string, string | undefined>;
    return id !== undefined && (type === "get" || type === "set") ? [{ id, to }] : [];
  });
}

function isAnswerTo(frame: string, id: string): boolean {
  return frame.startsWith("<iq") && frame.includes(`id="${id}"`) && /type="(result|error)"/.test(frame);
}

function isAtAppServer(to: string | undefined): boolean {
  return to !== undefined && (to === APP_SERVER_JID || to.endsWith(`@${APP_SERVER_JID}`));
}
