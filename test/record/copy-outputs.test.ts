import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { copyOutputs } from "./copy-outputs.js";
import type { RecordedOutput } from "./outputs.js";

const OUTPUTS: RecordedOutput[] = [
  { suite: "interop", artifact: ".artifacts/interop/table.md", tracked: "docs/table.md" },
  { suite: "interop", artifact: ".artifacts/interop/fixtures", tracked: "fixtures", filesEnding: ".xml" },
  { suite: "interop", artifact: ".artifacts/interop/extra.md", tracked: "docs/extra.md", optional: true },
];

let root = "";

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "xmpp-push-record-"));
  await put("docs/table.md", "old table");
  await put("fixtures/old.xml", "<old/>");
  await put("fixtures/README", "kept");
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function put(path: string, text: string): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), text);
}

const read = (path: string): Promise<string> => readFile(join(root, path), "utf8");

it("copies files, replaces a folder's files with that ending and skips an absent optional output", async () => {
  await put(".artifacts/interop/table.md", "new table");
  await put(".artifacts/interop/fixtures/a.xml", "<a/>");
  await put(".artifacts/interop/fixtures/b.xml", "<b/>");

  expect(await copyOutputs(OUTPUTS, root)).toEqual([
    ".artifacts/interop/table.md → docs/table.md",
    ".artifacts/interop/fixtures/*.xml (2 files) → fixtures/ (replacing 1)",
    ".artifacts/interop/extra.md: not written, docs/extra.md left as it is",
  ]);
  expect(await read("docs/table.md")).toBe("new table");
  expect((await readdir(join(root, "fixtures"))).sort()).toEqual(["README", "a.xml", "b.xml"]);
});

it("copies nothing when a required output is missing", async () => {
  await put(".artifacts/interop/table.md", "new table");

  await expect(copyOutputs(OUTPUTS, root)).rejects.toThrow("did not write .artifacts/interop/fixtures; nothing copied");
  expect(await read("docs/table.md")).toBe("old table");
  expect(await read("fixtures/old.xml")).toBe("<old/>");
});
