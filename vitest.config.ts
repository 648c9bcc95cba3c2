import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/interop/**", "test/browser/**", "test/consumer/**", "node_modules/**"],
    testTimeout: 15_000,
  },
});
