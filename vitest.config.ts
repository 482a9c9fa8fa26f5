import os from "node:os";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

// A certificate bundle to load makes every Node start-up ~50 ms (CPU) slower, and the tests start
// hundreds of Node processes (workers, the bin, npm, tsc) that never reach the network: the
// workers inherit this process's environment, and their children the workers'.
delete process.env.NODE_EXTRA_CA_CERTS;

/** The files that take a quarter of a minute or more each, slowest first. */
const SLOW = ["ansible", "bootstrap", "crash", "properties", "package", "attack"].map(
  (name) => `/test/${name}.test.ts`,
);

/**
 * Starts the slow files first. Vitest orders by the last run's durations when it has them, but
 * a fresh checkout (CI) has none and runs the largest files first, which can leave a slow file
 * to run alone at the end.
 */
class SlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const at = SLOW.findIndex((end) => file.moduleId.replaceAll("\\", "/").endsWith(end));
      return at === -1 ? SLOW.length : at;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    // Vitest's default is one worker fewer than the cores: one on a 2-core machine. Most test
    // time is spent waiting for child processes and the disk, so use every core.
    maxWorkers: os.availableParallelism(),
    // Test files share their worker's module cache instead of each importing src/ afresh in a
    // new process: on 53 of the files, CPU 79 s -> 32 s (two interleaved runs each, loaded machine).
    isolate: false,
    setupFiles: ["./test/setup.ts"],
    sequence: { sequencer: SlowFirst },
    reporters: ["default", "./test/summaryReporter.ts"],
  },
});
