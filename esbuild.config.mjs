// Bundles the CLI into one CommonJS file: Node 20 starts it faster than ES modules (measured
// with CPU profiles: ESM chunks spent ~50 ms in the module loader for a 100-link no-op; one
// CommonJS file skips the loader's per-module resolving and linking). Commands stay lazy:
// each `await import()` becomes code run only when called. The library (dist/index.js, with
// types) is built by tsc.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { build } from "esbuild";

/**
 * commander requires `child_process` at load, for executable subcommands only, which linkman
 * has none of; Node compiles it and the modules it needs (net, dgram, …) on every run: ~10 ms
 * of a 100-link no-op's CPU. This loads it on first use instead. If commander's source no
 * longer has the line, the build fails rather than silently losing the saving.
 */
const lazyChildProcess = {
  name: "lazy-child-process",
  setup(build) {
    build.onLoad({ filter: /commander[\\/]lib[\\/]command\.js$/ }, ({ path }) => {
      const eager = "const childProcess = require('node:child_process');";
      const source = readFileSync(path, "utf8");
      if (!source.includes(eager)) throw new Error(`${path}: no longer has \`${eager}\``);
      const lazy =
        "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };";
      return { contents: source.replace(eager, lazy), loader: "js" };
    });
  },
};

// No chunks are left behind from earlier builds that split the bundle.
rmSync("dist/bundle", { recursive: true, force: true });

const bin = await build({
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
  metafile: true,
  plugins: [lazyChildProcess],
});
// `import { z } from "zod"` (the namespace as a value) keeps all of zod in the bundle, its
// 40 locales included: 800 KB instead of 450, and ~15% more CPU for every run to compile.
const bundled = Object.values(bin.metafile.outputs)[0]?.inputs ?? {};
const locales = Object.entries(bundled).filter(
  ([file, { bytesInOutput }]) =>
    bytesInOutput > 0 && /zod\/v4\/locales\/(?!en\.js|index\.js)/.test(file),
);
if (locales.length > 0) {
  throw new Error(
    `the bin bundles zod's locales (${locales.length} files): import zod as \`import * as z from "zod"\`, never \`import { z }\``,
  );
}
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
