import path from "node:path";
import type { FileSystem } from "../fs/fileSystem.js";
import { errorCode } from "../fs/fileSystem.js";
import type { DesiredDirectory } from "../resolve/desiredLink.js";
import type { Action, Found, Subject } from "./action.js";
import { act, describeFound } from "./action.js";
import { mapLimit } from "./mapLimit.js";
import { Observer } from "./observe.js";
import { inRoots, type Root } from "./roots.js";

/** What is at a listed directory's path, and where that path really is. */
export interface DirectoryObservation {
  found: Found;
  /** The real path of its parent (the nearest existing ancestor's), plus the rest of the path. */
  real: string;
}

/** What an action about a listed directory is about: its path is both link and target. */
function subjectOf(
  dir: DesiredDirectory,
  found: Found,
): Subject & { place: NonNullable<Subject["place"]> } {
  return {
    kind: "directory",
    link: dir.path,
    target: dir.path,
    found,
    options: null,
    place: dir.place,
  };
}

/**
 * The directory table: a directory the manifest lists is made when nothing is there, left
 * alone when a directory is there, and a conflict when anything else is (a file, or a
 * link, which is never replaced or followed). Like links, only under the roots.
 */
export function decideDirectory(
  dir: DesiredDirectory,
  seen: DirectoryObservation,
  roots: readonly Root[],
  platform: string,
): Action {
  const subject = subjectOf(dir, seen.found);
  if (dir.skipped) return act.skip(subject, "condition", "condition", dir.skipped.why);
  if (!inRoots(dir.path, seen.real, roots, platform)) {
    const real = seen.real === dir.path ? "" : ` (it is really ${seen.real})`;
    return act.error(
      subject,
      "outside-roots",
      `the directory is outside your home directory and the manifest's directory${real}`,
      "linkman only makes directories there unless you pass --allow-outside DIR",
    );
  }
  if (seen.found.type === "missing") return act.mkdir(subject);
  if (seen.found.type === "directory") return act.skip(subject, "directory-there", "up-to-date");
  return act.conflict(
    subject,
    "directory-in-the-way",
    `\`directories\` lists this path, and ${describeFound(seen.found)} is there`,
    "move it away (or remove the path from `directories`); linkman never replaces it",
  );
}

/**
 * Looks at each listed directory and decides its action. Reads only. `seenAt` says where a
 * directory will be once the links planned before it are made (undefined: in a directory the
 * run makes, so nothing is there yet).
 */
export async function planDirectories(
  dirs: readonly DesiredDirectory[],
  fs: FileSystem,
  roots: readonly Root[],
  platform: string,
  seenAt: (dir: string) => string | undefined = (dir) => dir,
): Promise<Action[]> {
  const observer = new Observer(fs, platform);
  return mapLimit(dirs, 16, async (dir) => {
    try {
      const at = seenAt(dir.path);
      const found: Found = at === undefined ? { type: "missing" } : await observer.found(at);
      const parent = await observer.directory(path.dirname(at ?? dir.path));
      return decideDirectory(
        dir,
        { found, real: path.join(parent.real, path.basename(dir.path)) },
        roots,
        platform,
      );
    } catch (error) {
      return act.error(
        subjectOf(dir, { type: "other" }),
        "cannot-look",
        `cannot look at ${dir.path}: ${errorCode(error) ?? String(error)}`,
        "check the permissions of the directories on the way",
      );
    }
  });
}
