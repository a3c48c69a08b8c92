import { defineConfig } from "vitest/config";
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // worker threads, not child processes: vitest 3's forks pool (tinypool) can lose its IPC
    // channel to a recycled worker under heavy load ("Channel closed"), which aborts the run
    pool: "threads",
    // autocannon runs as its own worker when it is not on the main thread: its in-process test forks
    poolMatchGlobs: [["**/bench-load.test.ts", "forks"]],
  },
});
