import { damagedTurn } from "./damaged-turn.js";
import type { FuzzCase } from "./fuzz-case.js";

/**
 * Inputs that hit a bug already found and reported, each kept by a property of its own that is
 * expected to fail until src/ is fixed (lone-surrogate-property.ts, size-limit-property.ts,
 * stream-open-property.ts, namespace-prefix-property.ts). The
 * broad properties leave them out: fast-check stops at a property's first failure, so a bug that
 * a few hundred cases reach would hide every other one behind it. Delete a rule with its fix.
 */
const HIGH_SURROGATE_ALONE = /[\ud800-\udbff](?![\udc00-\udfff])/;

export function avoidsKnownBugs(input: FuzzCase): boolean {
  const damaged = damagedTurn(input);
  if (!damaged) return true;
  // Bytes cannot carry a lone surrogate: the encoder writes U+FFFD for one.
  if (input.encoding === "text" && HIGH_SURROGATE_ALONE.test(damaged.text ?? insertedText(input))) return false;
  if (introducesPrefixedName(input)) return false;
  return !(input.script.framing === "rfc7395" && damaged.turn.role === "header" && damaged.text !== undefined && opensAfterAnElement(damaged.text));
}

const PREFIXED_NAME = /<\/?([^\s/>!?]*):|\s([^\s=<>'"]*):[^\s=<>'"]*\s*=/g;

/** A name with a colon the edits bring in (other than xml: and xmlns:), which the server routes unchecked. */
function introducesPrefixedName({ mutation }: FuzzCase): boolean {
  return (mutation?.text ?? []).some((edit) => {
    if (edit.kind === "rename-tag") return edit.name.includes(":");
    const added = "snippet" in edit ? edit.snippet : "by" in edit ? edit.by : "";
    return [...added.matchAll(PREFIXED_NAME)].some((match) => !["xml", "xmlns"].includes(match[1] ?? match[2] ?? ""));
  });
}

/** What the edits put into a turn computed while the case runs (its own text is ASCII). */
function insertedText({ mutation }: FuzzCase): string {
  return (mutation?.text ?? []).map((edit) => ("snippet" in edit ? edit.snippet : "by" in edit ? edit.by : "")).join(" ");
}

/** An element ahead of `<open/>` (the first, or the restart after SASL), which the server handles as if the stream were open. */
function opensAfterAnElement(text: string): boolean {
  const open = text.indexOf("<open");
  const firstTag = text.search(/<[^/!?]/);
  return firstTag !== -1 && (open === -1 || firstTag < open);
}

/**
 * The stream parser measures a stanza in progress as up to twice its length (the size bug):
 * under half the limit no stanza can be refused wrongly.
 */
export const SIZE_BUG_FREE_FRACTION = 0.5;
