import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import path from "node:path";
import { tempDir } from "./tree.js";

/** The built bin, as `npm run build` leaves it. */
export const BIN = path.resolve(import.meta.dirname, "../../dist/bundle/linkman.js");

/**
 * A copy of the built bin's directory in a fresh place, less `without` (files beside its
 * bundle), reached through a symlink as npm's bin is: the bin, and the copy's directory.
 */
export function installed(...without: string[]): { bin: string; bundle: string } {
  const dir = tempDir();
  const bundle = path.join(dir, "lib/linkman/dist/bundle");
  cpSync(path.dirname(BIN), bundle, { recursive: true });
  for (const file of without) rmSync(path.join(bundle, file));
  mkdirSync(path.join(dir, "bin"));
  symlinkSync(path.join(bundle, "linkman.js"), path.join(dir, "bin/linkman"));
  return { bin: path.join(dir, "bin/linkman"), bundle };
}

/**
 * Runs the built bin (or another copy of it, `bin`) in `home` (its working directory and
 * HOME, the state inside it) with only PATH, NO_COLOR and `env` besides: what it prints and
 * its exit code.
 */
export function runBin(
  args: readonly string[],
  home: string,
  env: Record<string, string> = {},
  bin = BIN,
) {
  return spawnSync(process.execPath, [bin, ...args], {
    cwd: home,
    encoding: "utf8",
    env: {
      PATH: process.env.PATH,
      HOME: home,
      XDG_STATE_HOME: path.join(home, ".state"),
      NO_COLOR: "1",
      ...env,
    },
  });
}
