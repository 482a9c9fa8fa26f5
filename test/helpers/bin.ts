import { spawnSync } from "node:child_process";
import path from "node:path";

/** The built bin, as `npm run build` leaves it. */
export const BIN = path.resolve(import.meta.dirname, "../../dist/bundle/linkman.js");

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
