import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** linkman's own package directory: the nearest one above this module whose package.json is linkman's. */
function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, "package.json");
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "linkman"
    ) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error("internal: linkman's package.json was not found above its code");
    dir = parent;
  }
}

// Written in by esbuild in every bundle (the bin, dist/linkman.mjs, the standalone executable),
// so none of them reads package.json at start-up; undefined when run from tsc's dist/ or the sources.
declare const __LINKMAN_VERSION__: string | undefined;

/** linkman's version: written in at build time, else from its package.json. */
export function packageVersion(): string {
  return typeof __LINKMAN_VERSION__ === "string"
    ? __LINKMAN_VERSION__
    : (
        JSON.parse(readFileSync(path.join(packageRoot(), "package.json"), "utf8")) as {
          version: string;
        }
      ).version;
}
