// The tiny app of examples/bundlers/ built by each bundler in a consumer project, with exactly
// the config file that folder holds (and the README shows). The bundler tests and `npm run size` use it.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { type ConsumerProject, createProject, type ProjectOptions, repoRoot } from "./project.js";

export type BundlerName = "webpack" | "esbuild" | "rollup" | "vite";

export interface Bundler {
  name: BundlerName;
  /** The config file in examples/bundlers/ (the README shows each verbatim). */
  config: string;
  /** This repository's dev tools linked into the project. */
  tools: string[];
  /** The build command, run in the project. */
  command: [string, string[]];
  /** Extra files the command needs (path → text). */
  files?: Record<string, string>;
  /** Whether the build makes the page itself (vite, from index.html); the others' page loads `/app.js`. */
  makesPage: boolean;
}

export const EXAMPLE_DIR = join(repoRoot, "examples/bundlers");
/** The app's files copied into every project. */
const APP_FILES = ["src/app.js", "src/sw.js", "index.html"];

export const BUNDLERS: readonly Bundler[] = [
  {
    name: "webpack",
    config: "webpack.config.js",
    tools: ["webpack"],
    // What `npx webpack` does with webpack-cli installed; webpack-cli is not one of this repository's tools.
    command: ["node", ["webpack-build.mjs"]],
    files: {
      "webpack-build.mjs": [
        'import webpack from "webpack";',
        'import config from "./webpack.config.js";',
        "webpack(config, (error, stats) => {",
        "  if (error) throw error;",
        "  console.log(stats.toString({ colors: false }));",
        "  if (stats.hasErrors()) process.exitCode = 1;",
        "});",
        "",
      ].join("\n"),
    },
    makesPage: false,
  },
  { name: "esbuild", config: "esbuild.mjs", tools: ["esbuild"], command: ["node", ["esbuild.mjs"]], makesPage: false },
  {
    name: "rollup",
    config: "rollup.config.js",
    tools: ["rollup", "@rollup/plugin-node-resolve", "@rollup/plugin-commonjs"],
    command: ["node", ["node_modules/rollup/dist/bin/rollup", "-c"]],
    makesPage: false,
  },
  { name: "vite", config: "vite.config.js", tools: ["vite"], command: ["node", ["node_modules/vite/bin/vite.js", "build"]], makesPage: true },
];

export interface BuiltApp {
  project: ConsumerProject;
  /** The build's output folder (`dist/` in the project). */
  dist: string;
  /** Everything the bundler printed. */
  log: string;
  /** The app's bundle and the service worker, paths relative to `dist`. */
  app: string;
  sw: string;
}

/** A project with the packed package, @xmpp/client, the app and this bundler's config, built (npm unless told). */
export async function buildApp(bundler: Bundler, options: Pick<ProjectOptions, "manager" | "npmrc"> = {}): Promise<BuiltApp> {
  const files: Record<string, string> = { ...bundler.files };
  for (const path of [...APP_FILES, bundler.config]) files[path] = await readFile(join(EXAMPLE_DIR, path), "utf8");
  const project = await createProject(`bundler-${bundler.name}`, { ...options, dependencies: { "@xmpp/client": "^0.14.0" }, files, tools: bundler.tools });
  try {
    const [command, args] = bundler.command;
    const { stdout, stderr } = await project.exec(command, args);
    const dist = join(project.dir, "dist");
    const scripts = await javascriptFiles(dist);
    const app = scripts.find((path) => path !== "sw.js");
    if (!scripts.includes("sw.js") || !app || scripts.length !== 2) throw new Error(`${bundler.name} made ${scripts.join(", ") || "nothing"}, not the app and sw.js`);
    return { project, dist, log: `${stdout}\n${stderr}`, app, sw: "sw.js" };
  } catch (error) {
    await project.remove();
    throw error;
  }
}

/** The .js files under `dir`, relative paths. */
export async function javascriptFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".js"))
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1).split("\\").join("/"))
    .sort();
}
