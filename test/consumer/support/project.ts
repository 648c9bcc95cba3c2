// A consumer's project in a temporary folder: the packed tarball of this repository (built
// first: `npm run build`) installed next to whatever the app itself depends on, with npm or
// pnpm, exactly as a user would. Nothing here writes inside the repository.
import { execFile } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

export type PackageManager = "npm" | "pnpm";

export interface ProjectOptions {
  /** The app's own dependencies besides xmpp-push (name → version range). */
  dependencies?: Record<string, string>;
  manager?: PackageManager;
  /** Lines of the project's `.npmrc` (pnpm reads its settings there, e.g. `hoist=false`). */
  npmrc?: string[];
  /** Files to write into the project before installing (path relative to the project → text). */
  files?: Record<string, string>;
  /** Dev tools of this repository (bundlers, plugins) linked into the project's node_modules after installing. */
  tools?: string[];
}

export interface ConsumerProject {
  readonly dir: string;
  readonly manager: PackageManager;
  /** Runs a command in the project; rejects with its output when it exits non-zero. */
  exec(command: string, args: string[], options?: { env?: NodeJS.ProcessEnv; timeout?: number }): Promise<{ stdout: string; stderr: string }>;
  /** Every installed package (name@version), the project itself excluded. */
  installedPackages(): Promise<string[]>;
  write(path: string, text: string): Promise<void>;
  remove(): Promise<void>;
}

let packed: Promise<string> | undefined;

/** Packs the built package once per process; returns the tarball's path. */
export function packPackage(): Promise<string> {
  packed ??= (async () => {
    if (!existsSync(join(repoRoot, "dist/index.js"))) throw new Error("dist/ is missing: run `npm run build` first");
    const destination = await mkdtemp(join(tmpdir(), "xmpp-push-pack-"));
    process.once("exit", () => rmSync(destination, { recursive: true, force: true }));
    const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", destination], { cwd: repoRoot, maxBuffer: 64 << 20 });
    const [report] = JSON.parse(stdout) as Array<{ filename: string }>;
    if (!report) throw new Error(`npm pack printed no report: ${stdout}`);
    return join(destination, report.filename);
  })();
  return packed;
}

const binaryOf = (manager: PackageManager): string =>
  manager === "pnpm" ? join(repoRoot, "node_modules/.bin/pnpm") : "npm";

export async function createProject(name: string, options: ProjectOptions = {}): Promise<ConsumerProject> {
  const manager = options.manager ?? "npm";
  const tarball = await packPackage();
  const dir = await mkdtemp(join(tmpdir(), `xmpp-push-${name}-`));
  const dependencies = { "xmpp-push": `file:${tarball}`, ...options.dependencies };
  await writeFile(join(dir, "package.json"), JSON.stringify({ name: `consumer-${name}`, private: true, type: "module", dependencies }, null, 2));
  if (options.npmrc) await writeFile(join(dir, ".npmrc"), `${options.npmrc.join("\n")}\n`);
  const project: ConsumerProject = {
    dir,
    manager,
    async exec(command, args, { env, timeout = 240_000 } = {}) {
      try {
        return await run(command, args, { cwd: dir, env: { ...process.env, ...env }, timeout, maxBuffer: 64 << 20 });
      } catch (error) {
        const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
        throw new Error(`${command} ${args.join(" ")} failed in ${dir}:\n${stdout}\n${stderr}`, { cause: error });
      }
    },
    installedPackages: () => listInstalled(dir, manager),
    async write(path, text) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), text);
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
  for (const [path, text] of Object.entries(options.files ?? {})) await project.write(path, text);
  const install =
    manager === "pnpm"
      ? ["install", "--prefer-offline", "--reporter=silent", "--config.strict-peer-dependencies=false"]
      : ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"];
  await project.exec(binaryOf(manager), install);
  for (const tool of options.tools ?? []) await linkTool(dir, tool);
  return project;
}

/** Links one of this repository's dev dependencies into the project (bundlers are run from here, not reinstalled). */
async function linkTool(dir: string, tool: string): Promise<void> {
  const target = join(dir, "node_modules", tool);
  if (existsSync(target)) return;
  await mkdir(dirname(target), { recursive: true });
  await symlink(join(repoRoot, "node_modules", tool), target, "dir");
}

async function listInstalled(dir: string, manager: PackageManager): Promise<string[]> {
  if (manager === "pnpm") {
    // pnpm keeps every package once under node_modules/.pnpm/<name>@<version>[_peers].
    const entries = await readdir(join(dir, "node_modules/.pnpm"));
    return entries.filter((entry) => entry !== "node_modules" && !entry.startsWith(".") && !entry.startsWith("lock"))
      .map((entry) => entry.replace(/\+/g, "/").replace(/_.*$/, ""));
  }
  const { readFile } = await import("node:fs/promises");
  const lock = JSON.parse(await readFile(join(dir, "package-lock.json"), "utf8")) as { packages: Record<string, { version?: string; link?: boolean }> };
  return Object.entries(lock.packages)
    .filter(([path, entry]) => path !== "" && !entry.link)
    .map(([path, entry]) => `${path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length)}@${entry.version}`);
}
