// Bundles the CLI so start-up loads one small file; commands and heavy dependencies sit in
// chunks loaded only when needed. The library (dist/index.js, with types) is built by tsc.
import { readFileSync, rmSync } from "node:fs";
import { build } from "esbuild";

// Chunk names carry a content hash: without this, every build would leave the last one's behind.
rmSync("dist/bundle", { recursive: true, force: true });

await build({
  entryPoints: ["src/cli/bin.ts"],
  bundle: true,
  splitting: true,
  platform: "node",
  format: "esm",
  target: "node20",
  outdir: "dist/bundle",
  entryNames: "linkman",
  chunkNames: "chunks/[name]-[hash]",
  minify: true,
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: "warning",
});

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
