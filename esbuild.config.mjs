// Bundles the CLI so start-up loads one small file; commands and heavy dependencies sit in
// chunks loaded only when needed. The library (dist/index.js, with types) is built by tsc.
import { rmSync } from "node:fs";
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
