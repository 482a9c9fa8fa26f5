/**
 * zod for the bin, loaded on first use: the bundle build (esbuild.config.mjs) puts this in place
 * of `import * as z from "zod"` in linkman's modules. Their schemas are built only to explain a
 * bad file, print a JSON Schema or check a saved plan, and starting zod's module cost ~16 ms of a
 * 100-link no-op's CPU. The library (built by tsc) imports zod as written.
 */
import { writeSync } from "node:fs";
import type * as Zod from "zod";
import { lazy } from "../lazy.js";

// The bundle is CommonJS, and the build makes this a require of zod.js, zod's own file beside it.
declare const require: (id: string) => unknown;

/** zod's functions, the module run on the first property read. */
export const z = lazy(() => {
  // Set only by tests: says on stderr that a run needed zod.
  // To the descriptor: the bin ends at once when no Node stream was made (src/cli/io.ts).
  if (process.env.LINKMAN_DEBUG_ZOD === "1") writeSync(2, "linkman: zod loaded\n");
  return require("./zodExports.js") as typeof Zod;
});
