import path from "node:path";
import type { FileSystem } from "../fs/fileSystem.js";
import { errorCode, statIfExists } from "../fs/fileSystem.js";
import { isInside } from "../platform.js";
import type { Action, LinkSubject } from "./action.js";
import { act } from "./action.js";
import { Observer } from "./observe.js";
import { checkInsideRoots, type Root } from "./roots.js";

/** At most this many directory entries are looked at, so a huge tree cannot run away. */
const MAX_ENTRIES = 100_000;

/** Where to look for dead links, and which count: dotbot's `clean`. */
export interface DeadLinkSearch {
  /** The directories whose entries are looked at. */
  dirs: readonly string[];
  /** Only dead links that lead into this directory (the manifest's) are removed. */
  into: string;
  /** Also look in subdirectories (never through a directory link). */
  recursive: boolean;
}

/**
 * The removal of every dead symlink directly in the given directories (or below them, with
 * `recursive`) that leads into `into`, whoever made it: dotbot's `clean`. A live link, a
 * link that leads elsewhere, and anything that is not a link are never touched; a directory
 * that does not exist is nothing to clean. A directory outside the roots is an error.
 */
export async function planDeadLinkRemovals(
  search: DeadLinkSearch,
  fs: FileSystem,
  roots: readonly Root[],
  platform: string,
): Promise<Action[]> {
  const observer = new Observer(fs, platform);
  const into = await fs.realpath(search.into).catch(() => search.into);
  const actions: Action[] = [];
  let budget = MAX_ENTRIES;
  const subject = (link: string, target: string, text: string): LinkSubject => ({
    kind: "symlink",
    link,
    target,
    found: { type: "symlink", linkTarget: text },
    options: null,
    place: null,
  });
  const problem = (dir: string, message: string, hint: string) =>
    act.error(
      { ...subject(dir, dir, ""), found: { type: "directory" } },
      "cannot-look",
      message,
      hint,
    );

  const visit = async (dir: string): Promise<void> => {
    const entries = await fs.readdir(dir).catch((error: unknown) => {
      if (errorCode(error) === "ENOENT" || errorCode(error) === "ENOTDIR") return [];
      throw error;
    });
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (--budget < 0) throw new Error(`more than ${MAX_ENTRIES} entries`);
      const p = path.join(dir, entry.name);
      if (entry.type === "directory" && search.recursive) await visit(p);
      if (entry.type !== "symlink") continue;
      const found = await observer.found(p);
      if (found.type !== "symlink" && found.type !== "junction") continue;
      if (await statIfExists(fs, p).catch(() => undefined)) continue; // alive
      const leadsTo = path.resolve(dir, found.linkTarget);
      const parent = await observer.directory(path.dirname(leadsTo));
      const real = path.join(parent.real, path.basename(leadsTo));
      if (!isInside(real, into, platform)) continue;
      actions.push(
        act.remove(
          { ...subject(p, leadsTo, found.linkTarget), kind: found.type },
          null,
          `a dead link into ${search.into}`,
          "dead-link",
        ),
      );
    }
  };

  for (const dir of search.dirs) {
    try {
      await checkInsideRoots(fs, dir, roots, platform);
    } catch (error) {
      actions.push(
        problem(
          dir,
          error instanceof Error ? error.message : String(error),
          "linkman removes links only under your home or the manifest's directory unless you pass --allow-outside DIR",
        ),
      );
      continue;
    }
    try {
      await visit(dir);
    } catch (error) {
      actions.push(
        problem(
          dir,
          `cannot look for dead links in ${dir}: ${errorCode(error) ?? (error instanceof Error ? error.message : String(error))}`,
          "check the permissions of the directories on the way, or name a smaller directory",
        ),
      );
    }
  }
  return actions;
}
