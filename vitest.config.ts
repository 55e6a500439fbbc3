import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 90_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Most test time is waiting (on PostgreSQL, Redis, sockets, child processes and table timers), not
    // computing: three files at a time, even on two cores (vitest's default there is one; four made the
    // tests that start real processes time out when the machine was busy).
    maxWorkers: 3,
    minWorkers: 1,
    globalSetup: ["test/support/global-setup.ts"],
    allowOnly: false,
  },
});
