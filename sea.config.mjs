// Builds the standalone executable (dist/sea/linkman-<platform>-<arch>, .exe on Windows) with
// Node's single executable applications: this node binary with the CLI injected into it, so it
// runs on a machine without Node. `npm run build:sea`; the release workflow runs it on each system.
import { execFileSync } from "node:child_process";
import { copyFileSync, chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { build } from "esbuild";

const require = createRequire(import.meta.url);
const { inject } = require("postject");

const dir = "dist/sea";
const exe = `${dir}/linkman-${process.platform}-${process.arch}${process.platform === "win32" ? ".exe" : ""}`;
const { version } = JSON.parse(readFileSync("package.json", "utf8"));
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

// Node 20 runs a SEA's main script as CommonJS, with require() for built-in modules only:
// everything else is bundled in. bin.ts awaits at the top level, which CommonJS cannot.
await build({
  stdin: {
    contents:
      'const { main } = require("./src/cli/main.ts"); const { processIO } = require("./src/cli/io.ts");\n' +
      "main(process.argv.slice(2), processIO()).then((code) => { process.exitCode = code; });",
    resolveDir: ".",
    loader: "js",
  },
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  outfile: `${dir}/linkman.cjs`,
  minify: true,
  define: { __LINKMAN_VERSION__: JSON.stringify(version), "import.meta.url": "__filename" },
  logLevel: "warning",
});

writeFileSync(
  `${dir}/sea-config.json`,
  JSON.stringify({
    main: `${dir}/linkman.cjs`,
    output: `${dir}/linkman.blob`,
    disableExperimentalSEAWarning: true,
    useCodeCache: true,
  }),
);
execFileSync(process.execPath, ["--experimental-sea-config", `${dir}/sea-config.json`], {
  stdio: "inherit",
});

copyFileSync(process.execPath, exe);
chmodSync(exe, 0o755);
// macOS refuses to run a signed binary whose contents changed: unsign, inject, sign ad hoc.
if (process.platform === "darwin") execFileSync("codesign", ["--remove-signature", exe]);
await inject(exe, "NODE_SEA_BLOB", readFileSync(`${dir}/linkman.blob`), {
  sentinelFuse: "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2",
  ...(process.platform === "darwin" ? { machoSegmentName: "NODE_SEA" } : {}),
});
if (process.platform === "darwin") execFileSync("codesign", ["--sign", "-", exe]);
console.log(`built ${exe}`);
