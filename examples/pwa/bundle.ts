import { fileURLToPath } from "node:url";
import { build, type BuildOptions, type Plugin } from "esbuild";

const HERE = fileURLToPath(new URL(".", import.meta.url));

/**
 * @xmpp/resolve 0.14 imports `node:dns`, and its `browser` field misses it (design.md,
 * Toolchain): resolve it to an empty module. It is only used for SRV lookups, not WebSocket.
 */
const emptyNodeDns: Plugin = {
  name: "empty-node-dns",
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^node:dns$/ }, () => ({ path: "node:dns", namespace: "empty" }));
    pluginBuild.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "export default {};", loader: "js" }));
  },
};

/** Bundles the page (an ES module) and the service worker (a classic script, as every browser takes) in memory. */
export async function bundlePwa(): Promise<{ "app.js": string; "sw.js": string }> {
  const bundle = async (entry: string, format: BuildOptions["format"]): Promise<string> => {
    const result = await build({ entryPoints: [`${HERE}${entry}`], format, bundle: true, write: false, platform: "browser", target: "es2022", plugins: [emptyNodeDns], logLevel: "warning" });
    return result.outputFiles[0]?.text ?? "";
  };
  const [app, sw] = await Promise.all([bundle("app.ts", "esm"), bundle("sw.ts", "iife")]);
  return { "app.js": app, "sw.js": sw };
}
