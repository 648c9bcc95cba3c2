import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/** Consumer tests: the packed package installed into temporary projects (`npm run build` first): `npm run test:consumer`. */
export default defineConfig({
  test: {
    root: fileURLToPath(new URL("../..", import.meta.url)),
    include: ["test/consumer/**/*.test.ts"],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
