import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Run through test/interop/run.ts, which starts the real servers and passes their ports.
export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  test: {
    include: ["test/interop/**/*.test.ts"],
    setupFiles: ["test/interop/support/setup.ts"],
    // One server per kind is shared by every file: one file at a time, tests in order.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
