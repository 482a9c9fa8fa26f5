import { afterEach } from "vitest";
import { removeTempDirs } from "./helpers/tree.js";

// Here, not in tree.ts: a setup file runs for every test file, where a helper module's top-level
// hook would be registered only by the first file that imports it when files share a worker.
// Tens of thousands of entries (the crash and kill tests) take more than the default 10 s to
// remove when the disk is shared with other runs: the time limit is for hangs, not slow disks.
afterEach(removeTempDirs, 120_000);
