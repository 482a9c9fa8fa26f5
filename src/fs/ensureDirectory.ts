import path from "node:path";
import type { FileSystem } from "./fileSystem.js";
import { errorCode, statIfExists } from "./fileSystem.js";

/**
 * Creates a directory and its missing parents, one level at a time (the FileSystem has no
 * recursive mkdir, so every directory made is visible). Returns the directories it
 * created, outermost first. Something other than a directory on the way is ENOTDIR.
 */
export async function ensureDirectory(fs: FileSystem, dir: string): Promise<string[]> {
  const stat = await statIfExists(fs, dir);
  if (stat?.type === "directory") return [];
  if (stat) {
    throw Object.assign(new Error(`ENOTDIR: ${dir} is not a directory`), {
      code: "ENOTDIR",
      path: dir,
      syscall: "mkdir",
    });
  }
  const parent = path.dirname(dir);
  const created = parent === dir ? [] : await ensureDirectory(fs, parent);
  try {
    await fs.mkdir(dir);
    created.push(dir);
  } catch (error) {
    // Made by someone else in the meantime is fine, if it is a directory.
    if (errorCode(error) !== "EEXIST" || (await statIfExists(fs, dir))?.type !== "directory")
      throw error;
  }
  return created;
}

/** The nearest directory on the way to `dir` (itself included) that exists. */
export async function nearestExistingDirectory(fs: FileSystem, dir: string): Promise<string> {
  for (let d = dir; ; d = path.dirname(d)) {
    if ((await statIfExists(fs, d))?.type === "directory" || path.dirname(d) === d) return d;
  }
}
