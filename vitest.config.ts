import { defineConfig } from "vitest/config";
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // one child process per test file, not worker threads: a native crash in one file (node:wasi,
    // V8's Wasm tier-up racing a worker's termination) must not take the whole run down with it
    pool: "forks",
  },
});
