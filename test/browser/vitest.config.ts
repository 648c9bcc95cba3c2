import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/** Real-browser tests (Debian's chromium through playwright-core): `npm run test:browser`. */
export default defineConfig({
  test: {
    root: fileURLToPath(new URL("../..", import.meta.url)),
    include: ["test/browser/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
