import { defineConfig } from "vitest/config";

// The package as consumers get it: packed, installed into temporary projects, bundled, run in
// Deno and in a React Native-like context. Needs `npm run build` first (the npm script does it).
export default defineConfig({
  test: {
    include: ["test/consumer/**/*.test.ts"],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
