import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 90_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Most test time is waiting (on PostgreSQL, Redis, sockets, child processes and table timers), not
    // computing: two files at a time (vitest's default on two cores is one). Three and four made timing
    // tests (browser hands, lobby ticks, processes started through tsx) flaky on this 2-core machine.
    maxWorkers: 2,
    minWorkers: 1,
    globalSetup: ["test/support/global-setup.ts"],
    allowOnly: false,
  },
});
