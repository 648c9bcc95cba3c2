// Deno (the `deno` npm package of this repository) in a consumer project that installed the
// packed tarball and @xmpp/client with npm: it type-checks and runs the whole in-memory chain with
// no permission flags, and type-checks a file that imports every browser-safe entry.
// `--cached-only` makes Deno fail rather than download anything: it must use the project's
// node_modules.
import { readFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ConsumerProject, createProject, repoRoot } from "./support/project.js";

const deno = join(repoRoot, "node_modules/.bin/deno");
const fixture = (name: string) => readFile(join(repoRoot, "test/consumer/deno", name), "utf8");

let project: ConsumerProject;
let denoDir: string;

beforeAll(async () => {
  denoDir = await mkdtemp(join(tmpdir(), "xmpp-push-deno-dir-"));
  project = await createProject("deno", {
    dependencies: { "@xmpp/client": "^0.14.0" },
    files: {
      // "manual": resolve npm packages from node_modules as npm installed them.
      "deno.json": JSON.stringify({ nodeModulesDir: "manual" }),
      // Deno's libraries for code that runs in a browser (https://docs.deno.com/runtime/reference/ts_config_migration/).
      "deno.browser.json": JSON.stringify({ nodeModulesDir: "manual", compilerOptions: { lib: ["dom", "dom.iterable", "dom.asynciterable", "deno.ns"] } }),
      "chain.ts": await fixture("chain.ts"),
      "entries.ts": await fixture("entries.ts"),
    },
  });
});

afterAll(async () => {
  await project?.remove();
  if (denoDir) await rm(denoDir, { recursive: true, force: true });
});

// Deno's own cache goes to a temporary DENO_DIR; stdin is a pipe, so Deno denies what it would ask for.
const runDeno = (args: string[]) => project.exec(deno, args, { env: { DENO_DIR: denoDir, NO_COLOR: "1" } });

describe("Deno", () => {
  it("type-checks and runs the whole in-memory chain from the installed package with no permission flags, traced", async () => {
    const { stdout } = await runDeno(["run", "--check", "--cached-only", "chain.ts"]);
    expect(stdout).toContain("chain: 1 delivery, fcm token fcm-deno-token;");
    expect(stdout).toMatch(/trace: [1-9]\d* events, secrets hidden;/);
    // The same run could not read the environment, so tracing needed no env permission.
    expect(stdout).toContain("env denied (NotCapable)");
  });

  it("type-checks a file importing every browser-safe entry", async () => {
    // A type error, or an unused @ts-expect-error in entries.ts, exits non-zero and rejects here.
    const { stderr } = await runDeno(["check", "--cached-only", "--config", "deno.browser.json", "entries.ts"]);
    expect(stderr).toContain("Check entries.ts");
  });
});
