import { builtinModules } from "node:module";
import { isAbsolute, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build, type BuildOptions, type Metafile, type Plugin } from "esbuild";
import { describe, expect, it } from "vitest";

/**
 * design.md: the `xmpp-push` and `xmpp-push/sim` entries run everywhere, so "Node-only code never
 * leaks into the other entries; a test proves it by bundling each browser entry for the browser
 * platform". This is that test.
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Entries that must bundle for browsers. */
const BROWSER_ENTRIES = ["src/index.ts", "src/sim/index.ts"];
/** The browser-only entries: none of them may reach a Node built-in at all, not even node:dns. */
const WEB_ENTRIES = ["src/web/index.ts", "src/idb/index.ts", "src/sw/index.ts", "src/async-storage/index.ts"];

/** Namespace of the empty module the allowed built-in import is aliased to. */
const EMPTY_BUILTIN = "empty-node-builtin";

/**
 * The one documented exception: @xmpp/resolve 0.14.0 imports `node:dns` from `lib/dns.js`, and its
 * package.json `browser` field maps `./lib/dns` (without `.js`), so bundlers miss it (design.md,
 * Toolchain: "alias it to an empty module in the bundler config"). Remove this when @xmpp/client
 * ships the fix; the test below then fails on the stale exception.
 */
const ALLOWED = { specifier: "node:dns", importer: "node_modules/@xmpp/resolve/lib/dns.js" };

interface BuiltinImport {
  specifier: string;
  /** The importing file, relative to the project root. */
  importer: string;
}

/** `node:*`, or a bare name (or subpath) of a Node built-in module such as `fs` or `fs/promises`. */
function looksBuiltin(specifier: string): boolean {
  if (specifier.startsWith("node:")) return true;
  return builtinModules.includes(specifier) || builtinModules.includes(specifier.split("/")[0] ?? "");
}

function isAllowed(found: BuiltinImport): boolean {
  return found.specifier === ALLOWED.specifier && found.importer === ALLOWED.importer;
}

/**
 * Records every import that resolves to a Node built-in. A bare name that is also a built-in's
 * (`events`, `buffer`, `punycode`…) counts only when the browser resolution finds no package for
 * it: `events` is the npm polyfill @xmpp/events and ltx depend on, bundled from node_modules.
 * The allowed import resolves to an empty module; every other built-in is left external so that
 * the build finishes and reports all of them at once.
 */
function builtinRecorder(found: BuiltinImport[]): Plugin {
  return {
    name: "record-node-builtins",
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData?.probing || !looksBuiltin(args.path)) return undefined;
        if (!args.path.startsWith("node:")) {
          const probe = await pluginBuild.resolve(args.path, {
            kind: args.kind,
            importer: args.importer,
            resolveDir: args.resolveDir,
            pluginData: { probing: true },
          });
          if (probe.errors.length === 0 && !probe.external) return probe;
        }
        const importer = isAbsolute(args.importer) ? relative(ROOT, args.importer).split("\\").join("/") : args.importer;
        const record = { specifier: args.path, importer };
        found.push(record);
        return isAllowed(record) ? { path: args.path, namespace: EMPTY_BUILTIN } : { path: args.path, external: true };
      });
      pluginBuild.onLoad({ filter: /.*/, namespace: EMPTY_BUILTIN }, () => ({ contents: "export default {};", loader: "js" }));
    },
  };
}

const BROWSER_BUILD: BuildOptions = {
  absWorkingDir: ROOT,
  platform: "browser",
  format: "esm",
  bundle: true,
  write: false,
  minify: true,
  metafile: true,
  logLevel: "silent",
};

async function bundle(options: BuildOptions): Promise<{ found: BuiltinImport[]; metafile: Metafile; code: Uint8Array }> {
  const found: BuiltinImport[] = [];
  const result = await build({ ...BROWSER_BUILD, ...options, plugins: [builtinRecorder(found)] });
  expect(result.errors).toEqual([]);
  expect(result.outputFiles).toHaveLength(1);
  return { found, metafile: result.metafile as Metafile, code: result.outputFiles![0]!.contents };
}

/** Imports of project files under `dirs` that reach a Node built-in, read from the metafile. */
function builtinImportsOfSources(metafile: Metafile, dirs: string[]): { inputs: string[]; offenders: BuiltinImport[] } {
  const inputs = Object.keys(metafile.inputs).filter((input) => dirs.some((dir) => input.startsWith(dir)));
  const offenders: BuiltinImport[] = [];
  for (const input of inputs) {
    for (const imported of metafile.inputs[input]!.imports) {
      const builtin = imported.path.startsWith(`${EMPTY_BUILTIN}:`) || (imported.external === true && looksBuiltin(imported.path));
      if (builtin) offenders.push({ specifier: imported.original ?? imported.path, importer: input });
    }
  }
  return { inputs, offenders };
}

describe("browser bundles of the public entries (design.md: no Node built-ins)", () => {
  it("the recorder flags node:* and bare built-ins but not the npm `events` polyfill", async () => {
    const { found, metafile } = await bundle({
      stdin: {
        contents: [
          'import { readFileSync } from "node:fs";',
          'import { join } from "path";',
          'import { EventEmitter } from "events";',
          "console.log(readFileSync, join, EventEmitter);",
        ].join("\n"),
        resolveDir: resolve(ROOT, "src"),
        sourcefile: "probe.ts",
        loader: "ts",
      },
    });
    expect(found).toEqual([
      { specifier: "node:fs", importer: "src/probe.ts" },
      { specifier: "path", importer: "src/probe.ts" },
    ]);
    expect(Object.keys(metafile.inputs)).toContain("node_modules/events/events.js");
    expect(builtinImportsOfSources(metafile, ["src/"]).offenders).toEqual([
      { specifier: "node:fs", importer: "src/probe.ts" },
      { specifier: "path", importer: "src/probe.ts" },
    ]);
  });

  it.each(BROWSER_ENTRIES)("%s bundles for the browser with no Node built-in but the documented node:dns of @xmpp/resolve", async (entry) => {
    const { found, metafile, code } = await bundle({ entryPoints: [entry] });

    expect(found.filter((record) => !isAllowed(record))).toEqual([]);
    // The `events` package comes from node_modules, not from Node.
    expect(Object.keys(metafile.inputs)).toContain("node_modules/events/events.js");

    const gzipped = gzipSync(code, { level: 9 }).length;
    console.log(`${entry}: ${code.length} bytes minified, ${gzipped} bytes minified + gzipped (browser, esm)`);
  });

  it("node:dns from @xmpp/resolve is the only exception, and only the sim entry (which bundles @xmpp/client) has it", async () => {
    const core = await bundle({ entryPoints: ["src/index.ts"] });
    const sim = await bundle({ entryPoints: ["src/sim/index.ts"] });
    expect(core.found).toEqual([]);
    expect(sim.found).toEqual([ALLOWED]);
    // Aliased to an empty module rather than left as an import a browser cannot load.
    expect(sim.metafile.inputs["node_modules/@xmpp/resolve/lib/dns.js"]?.imports).toEqual([
      expect.objectContaining({ path: `${EMPTY_BUILTIN}:node:dns`, original: "node:dns" }),
    ]);
    expect(Object.values(sim.metafile.outputs).flatMap((output) => output.imports)).toEqual([]);
  });

  it.each(WEB_ENTRIES)("%s bundles for the browser with no Node built-in at all", async (entry) => {
    const { found, metafile } = await bundle({ entryPoints: [entry] });
    expect(found).toEqual([]);
    const dir = `${entry.slice(0, entry.lastIndexOf("/"))}/`;
    expect(builtinImportsOfSources(metafile, [dir, "src/protocol/", "src/client/"]).offenders).toEqual([]);
    expect(Object.keys(metafile.inputs).some((input) => input.startsWith(dir))).toBe(true);
  });

  it("no file under src/protocol, src/client or src/sim imports a Node built-in", async () => {
    const dirs = ["src/protocol/", "src/client/", "src/sim/"];
    const inputs: string[] = [];
    const offenders: BuiltinImport[] = [];
    for (const entry of BROWSER_ENTRIES) {
      const { metafile } = await bundle({ entryPoints: [entry] });
      const scanned = builtinImportsOfSources(metafile, dirs);
      inputs.push(...scanned.inputs);
      offenders.push(...scanned.offenders);
    }
    // The scan saw all three folders, so an empty list of offenders means something.
    for (const dir of dirs) expect(inputs.some((input) => input.startsWith(dir))).toBe(true);
    expect(offenders).toEqual([]);
  });
});
