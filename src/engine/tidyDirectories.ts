import path from "node:path";
import type { FileSystem } from "../fs/fileSystem.js";
import { errorCode } from "../fs/fileSystem.js";
import type { State } from "../state/state.js";
import type { Action } from "./action.js";
import { checkInsideRoots, type Root } from "./roots.js";
import { showPath } from "../display.js";

/**
 * The directories linkman created that hold no link it tracks and are not (or above) one
 * of `keep`: the ones tidying tries to remove, deepest first.
 */
export function unusedDirectories(state: State, keep: readonly string[] = []): string[] {
  // Every directory above a tracked link or a kept directory, once.
  const inUse = new Set<string>();
  for (const kept of [...state.links.map((r) => path.dirname(r.link)), ...keep]) {
    for (let dir = kept; !inUse.has(dir); dir = path.dirname(dir)) {
      inUse.add(dir);
      if (path.dirname(dir) === dir) break;
    }
  }
  return state.directories.filter((d) => !inUse.has(d)).sort((a, b) => b.length - a.length);
}

/**
 * Removes the directories linkman created (for links, or listed in `directories`) once they
 * are empty and hold no link it still tracks, deepest first; `keep` (the directories the
 * manifest still lists) and the directories above them stay. `rmdir` removes only empty
 * directories, so a directory that now holds anything of the user's stays, and is no longer
 * counted as linkman's. Each is removed only while it really lies in the roots (a parent may
 * have become a symlink out of home since).
 */
export async function tidyDirectories(
  fs: FileSystem,
  state: State,
  roots: readonly Root[],
  platform: string,
  keep: readonly string[] = [],
): Promise<{ state: State; removed: string[] }> {
  const removed: string[] = [];
  const unused = unusedDirectories(state, keep);
  const tidied = new Set(unused); // a search per directory was quadratic (8000 recorded: seconds)
  const kept = state.directories.filter((d) => !tidied.has(d));
  for (const dir of unused) {
    try {
      await checkInsideRoots(fs, dir, roots, platform);
      await fs.rmdir(dir);
      removed.push(dir);
    } catch (error) {
      const code = errorCode(error);
      if (code !== "ENOENT" && code !== "ENOTEMPTY" && code !== "EEXIST") kept.push(dir);
    }
  }
  return { state: { ...state, directories: kept.sort() }, removed };
}

/**
 * The directories linkman made that the run would remove once `actions` are done: unused
 * (`unusedDirectories`) and, deepest first, holding nothing but links the run removes and
 * directories it would remove before them. Reads only.
 */
async function emptiedDirectories(
  fs: FileSystem,
  state: State,
  actions: readonly Action[],
  keep: readonly string[],
): Promise<string[]> {
  const removed = new Set(actions.filter((a) => a.op === "remove").map((a) => a.link));
  const after = { ...state, links: state.links.filter((r) => !removed.has(r.link)) };
  // A directory the run makes a link in stays (its record is made by the run).
  const making = actions.filter((a) => a.op === "create" || a.op === "replace" || a.op === "adopt");
  const inUse = [...keep, ...making.map((a) => path.dirname(a.link))];
  const gone = new Set<string>();
  for (const dir of unusedDirectories(after, inUse)) {
    // More names than the run removes: not emptied (and a large directory is not read through).
    const names = await fs.readdir(dir, removed.size + gone.size + 1).catch(() => undefined);
    if (
      names?.every((e) => removed.has(path.join(dir, e.name)) || gone.has(path.join(dir, e.name)))
    )
      gone.add(dir);
  }
  return [...gone];
}

/** Where paths are shown from (`showPath`): home, and the working directory. */
type Where = Parameters<typeof showPath>[1];

/**
 * The sentence saying which empty directories linkman made, and no longer needs, it removed;
 * shown as every path is (their names come from the state, which is untrusted).
 */
export function tidiedNotice(removed: readonly string[], where: Where, dryRun = false): string {
  const what = dryRun ? "would remove" : "removed";
  const shown = removed.map((d) => showPath(d, where)).join(", ");
  return `${what} the empty directories linkman made that nothing needs now: ${shown}`;
}

/** For a dry run or `plan --prune`: the sentence naming the directories tidying would remove after `actions`, if any. Reads only. */
export async function wouldTidy(
  fs: FileSystem,
  state: State,
  actions: readonly Action[],
  keep: readonly string[],
  where: Where,
): Promise<string[]> {
  const dirs = await emptiedDirectories(fs, state, actions, keep);
  return dirs.length > 0 ? [tidiedNotice(dirs, where, true)] : [];
}
