/**
 * picomatch for the bin, loaded on first use: the bundle build (esbuild.config.mjs) puts this in
 * place of `import picomatch from "picomatch"` in linkman's modules, which call only its `scan`,
 * and only for a text holding a glob character (linkman matches globs with its own automaton).
 * An explicit manifest never calls it, and starting picomatch's modules cost every run ~0.7 ms.
 * Only scan's own module is required (picomatch's `scan` is that function), so the bundle holds
 * none of picomatch's parser and matcher. The library (built by tsc) imports picomatch as written.
 */
import { writeSync } from "node:fs";
import type Picomatch from "picomatch";

// The bundle is CommonJS: this require runs when called, not when the bundle loads.
declare const require: (id: string) => unknown;

let picomatchScan: typeof Picomatch.scan | undefined;

/** picomatch's `scan`, starting picomatch's scanner on the first call. */
const scan: typeof Picomatch.scan = (...args) => (picomatchScan ??= load())(...args);

function load(): typeof Picomatch.scan {
  // Set only by tests: says on stderr that a run needed picomatch (to the descriptor, as zod's).
  if (process.env.LINKMAN_DEBUG_PICOMATCH === "1") writeSync(2, "linkman: picomatch loaded\n");
  // What picomatch's own `scan` calls (lib/picomatch.js: `(input, options) => scan(input, options)`).
  return require("picomatch/lib/scan.js") as typeof Picomatch.scan;
}

export default { scan };
