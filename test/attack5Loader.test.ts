import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "./helpers/tree.js";

const built = path.resolve(import.meta.dirname, "../dist/bundle");
// Node 22.1+ loads the bundle with require and its own compile cache: the loader's read is for Node 20/21.
const nodeCompileCache =
  typeof (createRequire(import.meta.url)("node:module") as { enableCompileCache?: unknown })
    .enableCompileCache === "function";

/** A copy of the built bin's directory whose main.js is replaced by what `damage` puts there. */
function binWithBundle(damage: (bundle: string) => void): string {
  const dir = path.join(tempDir(), "bundle");
  cpSync(built, dir, { recursive: true });
  const bundle = path.join(dir, "main.js");
  rmSync(bundle);
  damage(bundle);
  return dir;
}

/** Runs `linkman --version` with the bin in `dir`; a hang fails the test instead of the run. */
function version(dir: string) {
  const home = tempDir();
  const result = spawnSync(process.execPath, [path.join(dir, "linkman.js"), "--version"], {
    cwd: home,
    encoding: "utf8",
    timeout: 10_000,
    env: { PATH: process.env.PATH, HOME: home, NO_COLOR: "1" },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe.skipIf(nodeCompileCache)("a bin whose bundle is not a readable regular file", () => {
  it.each([
    ["a link to /dev/zero", (bundle: string) => symlinkSync("/dev/zero", bundle)],
    ["a FIFO", (bundle: string) => spawnSync("mkfifo", [bundle])],
    ["a directory", (bundle: string) => mkdirSync(bundle)],
    ["missing", () => {}],
  ])(
    "says so in one line and exits 1 when main.js is %s (no hang, no stack trace, no silent success)",
    (_, damage) => {
      const run = version(binWithBundle(damage));
      expect(run.code).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(
        /^linkman: cannot read its bundle .*main\.js \(.+\); reinstall linkman\n$/,
      );
    },
  );
});
