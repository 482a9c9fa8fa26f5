// Bundles the CLI into one CommonJS file: Node 20 starts it faster than ES modules (measured
// with CPU profiles: ESM chunks spent ~50 ms in the module loader for a 100-link no-op; one
// CommonJS file skips the loader's per-module resolving and linking). Commands stay lazy:
// each `await import()` becomes code run only when called. The library (dist/index.js, with
// types) is built by tsc.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { build } from "esbuild";

// No chunks are left behind from earlier builds that split the bundle.
rmSync("dist/bundle", { recursive: true, force: true });

await build({
  entryPoints: ["src/cli/bin.ts"],
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  outfile: "dist/bundle/linkman.js",
  minify: true,
  // packageInfo finds package.json from its own URL; in CommonJS that is the file's.
  define: { "import.meta.url": "__linkmanFileUrl" },
  banner: {
    js: '"use strict"; const __linkmanFileUrl = require("node:url").pathToFileURL(__filename).href;',
  },
  logLevel: "warning",
});
// The package is "type": "module"; this keeps the bin's name (linkman.js) and makes Node read it as CommonJS.
mkdirSync("dist/bundle", { recursive: true });
writeFileSync("dist/bundle/package.json", '{ "type": "commonjs" }\n');

// One self-contained file (dist/linkman.mjs) that a dotfiles repository can vendor and run with
// any Node >= 20: no chunks, no node_modules, no package.json beside it, so the version and the
// schema's address are written in at build time.
const { version } = JSON.parse(readFileSync("package.json", "utf8"));
await build({
  entryPoints: ["src/cli/bin.ts"],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  outfile: "dist/linkman.mjs",
  minify: true,
  define: { __LINKMAN_VERSION__: JSON.stringify(version) },
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: "warning",
});
