import { fileURLToPath } from "node:url";
import { build, type BuildOptions } from "esbuild";
import { esbuildPlugin } from "../../src/bundler/index.js";

const HERE = fileURLToPath(new URL(".", import.meta.url));

/** Bundles the page (an ES module) and the service worker (a classic script, as every browser takes) in memory. */
export async function bundlePwa(): Promise<{ "app.js": string; "sw.js": string }> {
  const bundle = async (entry: string, format: BuildOptions["format"]): Promise<string> => {
    const result = await build({ entryPoints: [`${HERE}${entry}`], format, bundle: true, write: false, platform: "browser", target: "es2022", plugins: [esbuildPlugin()], logLevel: "warning" });
    return result.outputFiles[0]?.text ?? "";
  };
  const [app, sw] = await Promise.all([bundle("app.ts", "esm"), bundle("sw.ts", "iife")]);
  return { "app.js": app, "sw.js": sw };
}
