import path from "node:path";
import type { FileSystem } from "../fs/fileSystem.js";
import { errorCode } from "../fs/fileSystem.js";
import type { State } from "../state/state.js";
import { checkInsideRoots, type Root } from "./roots.js";

/**
 * Removes the directories linkman created for links once they are empty and hold no link
 * it still tracks, deepest first. `rmdir` removes only empty directories, so a directory
 * that now holds anything of the user's stays, and is no longer counted as linkman's. Each
 * is removed only while it really lies in the roots (a parent may have become a symlink
 * out of home since).
 */
export async function tidyDirectories(
  fs: FileSystem,
  state: State,
  roots: readonly Root[],
  platform: string,
): Promise<{ state: State; removed: string[] }> {
  const removed: string[] = [];
  const kept: string[] = [];
  // Every directory above a tracked link, once: a directory is in use when it is one of them.
  const inUse = new Set<string>();
  for (const record of state.links) {
    for (let dir = path.dirname(record.link); !inUse.has(dir); dir = path.dirname(dir)) {
      inUse.add(dir);
      if (path.dirname(dir) === dir) break;
    }
  }
  const deepestFirst = [...state.directories].sort((a, b) => b.length - a.length);
  for (const dir of deepestFirst) {
    if (inUse.has(dir)) {
      kept.push(dir);
      continue;
    }
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
