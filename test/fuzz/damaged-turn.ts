import type { FuzzCase } from "./fuzz-case.js";
import { renderTurn, type Turn } from "./session-script.js";
import { applyTextEdits } from "./text-mutations.js";

export interface DamagedTurn {
  readonly turn: Turn;
  /** Where it stands in its connection's turns. */
  readonly index: number;
  readonly turns: readonly Turn[];
  /** Its text after the text edits, or undefined for a turn computed from the server's answers. */
  readonly text: string | undefined;
}

/** The turn a case's mutation damages, found as the driver finds it; undefined without a mutation. */
export function damagedTurn({ script, mutation }: FuzzCase): DamagedTurn | undefined {
  if (!mutation) return undefined;
  const connection = script.connections[mutation.connection % script.connections.length];
  if (!connection) return undefined;
  const index = mutation.turn % connection.turns.length;
  const turn = connection.turns[index];
  if (!turn) return undefined;
  const text = turn.content.kind === "text" ? applyTextEdits(renderTurn(turn.content, { output: [], earlierOutput: [] }), mutation.text).text : undefined;
  return { turn, index, turns: connection.turns, text };
}
