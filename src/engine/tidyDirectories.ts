import path from "node:path";
import type { FileSystem } from "../fs/fileSystem.js";
import { errorCode } from "../fs/fileSystem.js";
import type { State } from "../state/state.js";

/**
 * Removes the directories linkman created for links once they are empty and hold no link
 * it still tracks, deepest first. `rmdir` removes only empty directories, so a directory
 * that now holds anything of the user's stays, and is no longer counted as linkman's.
 */
export async function tidyDirectories(
  fs: FileSystem,
  state: State,
): Promise<{ state: State; removed: string[] }> {
  const removed: string[] = [];
  const kept: string[] = [];
  const deepestFirst = [...state.directories].sort((a, b) => b.length - a.length);
  for (const dir of deepestFirst) {
    const inUse = state.links.some((r) => r.link.startsWith(dir + path.sep));
    if (inUse) {
      kept.push(dir);
      continue;
    }
    try {
      await fs.rmdir(dir);
      removed.push(dir);
    } catch (error) {
      const code = errorCode(error);
      if (code !== "ENOENT" && code !== "ENOTEMPTY" && code !== "EEXIST") kept.push(dir);
    }
  }
  return { state: { ...state, directories: kept.sort() }, removed };
}
