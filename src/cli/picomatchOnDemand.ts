/**
 * picomatch for the bin, loaded on first use: the bundle build (esbuild.config.mjs) puts this in
 * place of `import picomatch from "picomatch"` in linkman's modules, which call only its `scan`,
 * and only for a text holding a glob character (linkman matches globs with its own automaton).
 * An explicit manifest never calls it, and starting picomatch's modules cost every run ~0.7 ms.
 * The library (built by tsc) imports picomatch as written.
 */
import { writeSync } from "node:fs";
import type Picomatch from "picomatch";

// The bundle is CommonJS: this require runs when called, not when the bundle loads.
declare const require: (id: string) => unknown;

let picomatch: typeof Picomatch | undefined;

/** picomatch's `scan`, starting picomatch on the first call. */
const scan: typeof Picomatch.scan = (...args) => (picomatch ??= load()).scan(...args);

function load(): typeof Picomatch {
  // Set only by tests: says on stderr that a run needed picomatch (to the descriptor, as zod's).
  if (process.env.LINKMAN_DEBUG_PICOMATCH === "1") writeSync(2, "linkman: picomatch loaded\n");
  return require("picomatch") as typeof Picomatch;
}

export default { scan };
