import { defineConfig } from "vitest/config";
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // one child process per test file, not worker threads: a native crash in one file (as
    // node:wasi's fast calls once did, nodejs/node#46777) fails that file, not the whole run
    pool: "forks",
  },
});
