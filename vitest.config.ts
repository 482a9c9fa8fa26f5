import os from "node:os";
import { defineConfig } from "vitest/config";

// A certificate bundle to load makes every Node start-up ~50 ms (CPU) slower, and the tests start
// hundreds of Node processes (workers, the bin, npm, tsc) that never reach the network: the
// workers inherit this process's environment, and their children the workers'.
delete process.env.NODE_EXTRA_CA_CERTS;

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    // Vitest's default is one worker fewer than the cores: one on a 2-core machine. Most test
    // time is spent waiting for child processes and the disk, so use every core.
    maxWorkers: os.availableParallelism(),
    reporters: ["default", "./test/summaryReporter.ts"],
  },
});
