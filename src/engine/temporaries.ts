import { randomBytes } from "node:crypto";
import path from "node:path";
import type { FileSystem } from "../fs/fileSystem.js";
import { lstatIfExists } from "../fs/fileSystem.js";
import { removeLink } from "./removeLink.js";

/** A new random token naming one run's temporaries, so that a later run can find them. */
export function runToken(): string {
  return randomBytes(6).toString("hex");
}

/**
 * The name beside `file` of something a run is making: `.NAME.linkman-TOKEN` for a new
 * link, with `-old` for an old link moved aside (Windows' three-step replace).
 */
export function temporaryName(file: string, token: string, role: "new" | "old" = "new"): string {
  const suffix = role === "old" ? `${token}-old` : token;
  return path.join(path.dirname(file), `.${path.basename(file)}.linkman-${suffix}`);
}

/**
 * Removes what a run that was killed left beside `links` under its token's temporary names:
 * new links not yet renamed into place, and old links moved aside. Only those exact names
 * (which only that run could make) are touched, only links and files are removed (never a
 * directory, never recursively), and whatever cannot be removed is left. Returns the paths removed.
 */
export async function sweepTemporaries(
  fs: FileSystem,
  platform: string,
  links: readonly string[],
  token: string,
): Promise<string[]> {
  const removed: string[] = [];
  for (const link of links) {
    for (const role of ["new", "old"] as const) {
      const name = temporaryName(link, token, role);
      const found = await lstatIfExists(fs, name).catch(() => undefined);
      if (!found || found.type === "directory") continue;
      try {
        await removeLink(fs, platform, name);
        removed.push(name);
      } catch {
        // Left for the user: it is only a stray link or a second name of a file.
      }
    }
  }
  return removed;
}
