import fc from "fast-check";
import { type ByteEdit, byteEdit } from "./byte-mutations.js";
import { chunkSizes } from "./chunking.js";
import type { SessionScript } from "./session-script.js";
import { type TextEdit, textEdit } from "./text-mutations.js";

/** Changes to one turn of a script; `connection` and `turn` are taken modulo the script's counts. */
export interface Mutation {
  readonly connection: number;
  readonly turn: number;
  readonly text: readonly TextEdit[];
  /** Applied to the turn's UTF-8 bytes after the text edits; only when the case feeds bytes. */
  readonly bytes: readonly ByteEdit[];
}

/** A script, how it is damaged, and how its data reaches the server. */
export interface FuzzCase {
  readonly script: SessionScript;
  readonly mutation: Mutation | undefined;
  readonly chunkSizes: readonly number[];
  /** Text frames, or UTF-8 bytes as a TCP or binary WebSocket listener passes them. */
  readonly encoding: "text" | "bytes";
}

export const textMutation: fc.Arbitrary<Mutation> = fc.record({
  connection: fc.nat({ max: 3 }),
  turn: fc.nat({ max: 40 }),
  text: fc.array(textEdit, { minLength: 1, maxLength: 3 }),
  bytes: fc.constant([]),
});

export const byteMutation: fc.Arbitrary<Mutation> = fc.record({
  connection: fc.nat({ max: 3 }),
  turn: fc.nat({ max: 40 }),
  text: fc.array(textEdit, { maxLength: 1 }),
  bytes: fc.array(byteEdit, { minLength: 1, maxLength: 3 }),
});

export function fuzzCase(script: fc.Arbitrary<SessionScript>, mutation: fc.Arbitrary<Mutation | undefined>, encoding: fc.Arbitrary<FuzzCase["encoding"]>): fc.Arbitrary<FuzzCase> {
  return fc.record({ script, mutation, chunkSizes, encoding });
}
