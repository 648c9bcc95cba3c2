import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/interop/**", "test/browser/**", "node_modules/**"],
    testTimeout: 15_000,
  },
});
