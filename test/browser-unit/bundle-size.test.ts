import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build, type Metafile } from "esbuild";
import { describe, expect, it } from "vitest";

/** Bundles the browser entries as an app would (browser platform, minified) and prints their sizes. */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

async function bundle(entry: string): Promise<{ inputs: string[]; imports: Metafile["outputs"][string]["imports"]; minified: number; gzipped: number }> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    platform: "browser",
    format: "esm",
    bundle: true,
    minify: true,
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]!.contents;
  return {
    inputs: Object.keys(result.metafile.inputs),
    imports: Object.values(result.metafile.outputs).flatMap((output) => output.imports),
    minified: code.length,
    gzipped: gzipSync(code, { level: 9 }).length,
  };
}

describe("browser entry bundles", () => {
  it.each(["src/sw/index.ts", "src/web/index.ts", "src/idb/index.ts"])("%s bundles for the browser with nothing left to import", async (entry) => {
    const { imports, minified, gzipped } = await bundle(entry);
    expect(imports).toEqual([]); // no Node built-in or anything else the browser would have to resolve
    console.log(`${entry}: ${minified} bytes minified, ${gzipped} bytes min+gzip (browser, esm)`);
  });

  it("the service worker entry stays within 2 kB min+gzip: no XML library, only the payload parser of src/protocol", async () => {
    const { inputs, gzipped } = await bundle("src/sw/index.ts");
    expect(gzipped).toBeLessThanOrEqual(2048);
    expect(inputs.filter((input) => input.includes("node_modules"))).toEqual([]);
    expect(inputs.filter((input) => input.startsWith("src/protocol/"))).toEqual(["src/protocol/push-payload.ts"]);
  });
});
