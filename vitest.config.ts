import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 90_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Two test files at a time: most of a file's time is spent waiting on real servers, timers and
    // processes, so two overlap well on a 2-core machine (one at a time, vitest's default there, took
    // about twice as long). Every file makes its own databases, Redis prefixes and data folders.
    poolOptions: { forks: { minForks: 1, maxForks: 2 } },
    globalSetup: ["test/support/global-setup.ts"],
    allowOnly: false,
  },
});
