import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../artifacts.js";

/**
 * docs/conformance.md is where the conformance IDs that tests and comments cite ("C12", "S5",
 * "A6", "W4") are defined. Every cited ID must have its row there, and every file a row says
 * tests the item must exist and name it — so a citation always resolves, and the table never
 * claims a test that is not there.
 */

const DOC = "docs/conformance.md";
/** The parties' prefixes (a table of docs/conformance.md lists them). */
const PREFIXES = ["C", "S", "A", "W", "R", "PT", "MG", "P2-", "V1-", "T", "TS", "M", "SA", "P2S"];
const CITED_IN = ["src", "test", "examples", "bench"];

const ID = new RegExp(`\\b(?:${PREFIXES.join("|")})[0-9]{1,2}\\b`, "g");
/** The checklist outside the repository that citations used to point at ("D.4 78", "research 69", protocol.md). */
const EXTERNAL = /\bD\.[1-4] ?[0-9]|\bresearch(?:\.md)? [0-9]|\bprotocol\.md\b/;

interface Row {
  id: string;
  requirement: string;
  source: string;
  testedIn: string[];
}

/** The item rows of the doc's tables: `| ID | requirement | source | tested in |`. */
function rows(markdown: string): Row[] {
  const found: Row[] = [];
  for (const line of markdown.split("\n")) {
    const cells = line.split("|").map((cell) => cell.trim());
    const [, id, requirement, source, tested] = cells;
    if (!id || !new RegExp(`^${ID.source}$`).test(id)) continue;
    if (cells.length !== 6) throw new Error(`${DOC}: the row of ${id} does not have four cells`);
    const testedIn = [...(tested ?? "").matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
    found.push({ id, requirement: requirement ?? "", source: source ?? "", testedIn });
  }
  return found;
}

/** Source files under the cited folders, tracked or new (not ignored), as they are in the work tree. */
function sourceFiles(): string[] {
  const listed = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "--", ...CITED_IN], { cwd: REPO_ROOT, encoding: "utf8" });
  return listed.split("\n").filter((file) => /\.(?:ts|mts|js|mjs)$/.test(file) && existsSync(join(REPO_ROOT, file)));
}

/** The IDs each source file cites. */
function citations(): Map<string, Set<string>> {
  const cited = new Map<string, Set<string>>();
  for (const file of sourceFiles()) {
    const ids = readFileSync(join(REPO_ROOT, file), "utf8").match(ID);
    if (ids) cited.set(file, new Set(ids));
  }
  return cited;
}

describe(`conformance IDs resolve in ${DOC}`, () => {
  const table = rows(readFileSync(join(REPO_ROOT, DOC), "utf8"));
  const defined = new Map(table.map((row) => [row.id, row]));
  const cited = citations();

  it("the doc defines each ID once, with a requirement and a source", () => {
    expect(table.length).toBeGreaterThan(40);
    expect(table.map((row) => row.id)).toEqual([...defined.keys()]);
    for (const row of table) {
      expect(row.requirement.length, row.id).toBeGreaterThan(20);
      expect(row.source.length, row.id).toBeGreaterThan(5);
    }
  });

  it("every ID cited in src/, test/, examples/ or bench/ has its row", () => {
    const missing = [...cited].flatMap(([file, ids]) => [...ids].filter((id) => !defined.has(id)).map((id) => `${id} (${file})`));
    expect(cited.size).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  });

  it("every file a row lists as testing an item exists and names that ID", () => {
    const wrong: string[] = [];
    for (const row of table) {
      for (const file of row.testedIn) {
        if (!existsSync(join(REPO_ROOT, file))) wrong.push(`${row.id}: ${file} does not exist`);
        else if (!cited.get(file)?.has(row.id)) wrong.push(`${row.id}: ${file} does not name it`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("an item without a test says it is not modelled; every other one is cited by a test file", () => {
    for (const row of table) {
      if (row.testedIn.length === 0) expect(row.requirement, row.id).toMatch(/^Not modelled/);
      else expect(row.testedIn.some((file) => file.startsWith("test/")), row.id).toBe(true);
    }
  });

  it("no citation points at the checklist outside the repository any more", () => {
    const self = "test/build/conformance.test.ts"; // names that checklist, in EXTERNAL
    const external = sourceFiles().filter((file) => file !== self && EXTERNAL.test(readFileSync(join(REPO_ROOT, file), "utf8")));
    expect(external).toEqual([]);
  });
});
