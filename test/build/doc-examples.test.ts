import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { afterEach, describe, expect, it, vi } from "vitest";
import { REPO_ROOT } from "../artifacts.js";

/**
 * The `@example` blocks of the TSDoc are code users copy: each one typechecks against the
 * current API, and the simulator's one runs (it needs no network).
 */

/** Where each example lives, and the names it uses that the app would already have. */
const EXAMPLES = {
  PushClient: { file: "src/client/push-client.ts", before: "export class PushClient", prelude: "declare const deviceToken: string;\n" },
  createXmppServer: { file: "src/sim/xmpp-server/server.ts", before: "export function createXmppServer", prelude: "" },
} as const;

const ENTRIES: Record<string, string> = {
  "xmpp-push": "src/index.ts",
  "xmpp-push/sim": "src/sim/index.ts",
  "xmpp-push/sim/node": "src/node/index.ts",
  "xmpp-push/idb": "src/idb/index.ts",
  "xmpp-push/web": "src/web/index.ts",
  "xmpp-push/sw": "src/sw/index.ts",
};

/** The fenced code of the `@example` in the doc comment right above `before`. */
function exampleAbove(file: string, before: string): string {
  const text = readFileSync(join(REPO_ROOT, file), "utf8");
  const end = text.indexOf(before);
  const start = text.lastIndexOf("/**", end);
  if (end < 0 || start < 0) throw new Error(`no doc comment above ${before} in ${file}`);
  const comment = text
    .slice(start, end)
    .split("\n")
    .map((line) => line.replace(/^\s*\*( |$)/, ""));
  const at = comment.findIndex((line) => line.startsWith("@example"));
  const open = comment.indexOf("```ts", at);
  const close = comment.indexOf("```", open + 1);
  if (at < 0 || open < 0 || close < 0) throw new Error(`no @example with a ts fence above ${before} in ${file}`);
  return comment.slice(open + 1, close).join("\n");
}

/**
 * The example as a file of this checkout. To typecheck, it keeps the package's specifiers
 * (tsconfig.json's `paths` map them to the sources); to run, they point at the entries' files.
 */
function writeExample(name: keyof typeof EXAMPLES, use: "check" | "run"): string {
  const { file, before, prelude } = EXAMPLES[name];
  let code = exampleAbove(file, before);
  if (use === "run") {
    code = code.replace(/from "(xmpp-push[^"]*)"/g, (_whole, specifier: string) => {
      const entry = ENTRIES[specifier];
      if (!entry) throw new Error(`the example imports ${specifier}, which is not an entry`);
      return `from ${JSON.stringify(join(REPO_ROOT, entry))}`;
    });
  }
  // Inside the checkout (gitignored), so that the example's own imports resolve from node_modules.
  const dir = join(REPO_ROOT, ".artifacts", "doc-examples");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.${use}.ts`);
  writeFileSync(path, `${prelude}${code}\nexport {};\n`);
  return path;
}

/** What `tsc` says about each file, with the project's options and its own declaration files. */
function typeErrors(paths: string[]): Map<string, string[]> {
  const config = ts.getParsedCommandLineOfConfigFile(join(REPO_ROOT, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (!config) throw new Error("tsconfig.json did not parse");
  const declarations = config.fileNames.filter((name) => name.endsWith(".d.ts"));
  const program = ts.createProgram([...paths, ...declarations], config.options);
  const errors = new Map(paths.map((path) => [path, [] as string[]]));
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const file = diagnostic.file?.fileName ?? "(options)";
    const where = diagnostic.file && diagnostic.start !== undefined ? `:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1}` : "";
    const message = `${file}${where}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`;
    errors.set(file, [...(errors.get(file) ?? []), message]);
  }
  return errors;
}

describe("the @example blocks in the TSDoc", () => {
  afterEach(() => vi.restoreAllMocks());

  it("each example typechecks against the current API", { timeout: 120_000 }, () => {
    const names = Object.keys(EXAMPLES) as (keyof typeof EXAMPLES)[];
    const errors = typeErrors(names.map((name) => writeExample(name, "check")));
    for (const [file, messages] of errors) expect(messages, file).toEqual([]);
  });

  it("createXmppServer: its example runs and delivers the push it says", async () => {
    const logged: unknown[] = [];
    vi.spyOn(console, "log").mockImplementation((value: unknown) => void logged.push(value));
    await import(writeExample("createXmppServer", "run"));
    expect(logged).toEqual([
      [expect.objectContaining({ provider: "fcm", token: "bob-fcm-token", summary: { messageCount: 1 } })],
      1,
    ]);
  });
});
