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
  if (stat) throw notADirectory(dir);
  const parent = path.dirname(dir);
  const created = parent === dir ? [] : await ensureDirectory(fs, parent);
  await makeDirectory(fs, dir, created);
  return created;
}

/**
 * `ensureDirectory` for a `dir` below `existing`, a directory on the way just found to
 * exist (`nearestExistingDirectory`): the levels below it are made without looking first,
 * and `check` is called on each level, made or found, before anything is made in it.
 */
export async function ensureDirectoryBelow(
  fs: FileSystem,
  existing: string,
  dir: string,
  check: (dir: string) => Promise<unknown>,
): Promise<string[]> {
  const created: string[] = [];
  for (const d of levelsBelow(existing, dir).reverse()) {
    await makeDirectory(fs, d, created);
    await check(d);
  }
  return created;
}

/** The levels from `dir` up to `existing` (not included): `dir` first, each the parent of the one before. */
export function levelsBelow(existing: string, dir: string): string[] {
  const levels: string[] = [];
  for (let d = dir; d !== existing && path.dirname(d) !== d; d = path.dirname(d)) levels.push(d);
  return levels;
}

/** Makes one directory, added to `created`; made by someone else in the meantime is fine, if it is a directory. */
async function makeDirectory(fs: FileSystem, dir: string, created: string[]): Promise<void> {
  try {
    await fs.mkdir(dir);
    created.push(dir);
  } catch (error) {
    await directoryAfterAll(fs, dir, error);
  }
}

/**
 * After `mkdir(dir)` failed with `error`: returns if EEXIST and a directory is there (made by
 * someone else in the meantime), else throws (ENOTDIR for anything else there).
 */
export async function directoryAfterAll(
  fs: FileSystem,
  dir: string,
  error: unknown,
): Promise<void> {
  if (errorCode(error) !== "EEXIST") throw error;
  const stat = await statIfExists(fs, dir);
  if (stat?.type !== "directory") throw stat ? notADirectory(dir) : error;
}

const notADirectory = (dir: string) =>
  Object.assign(new Error(`ENOTDIR: ${dir} is not a directory`), {
    code: "ENOTDIR",
    path: dir,
    syscall: "mkdir",
  });

/** The nearest directory on the way to `dir` (itself included) that exists. */
export async function nearestExistingDirectory(fs: FileSystem, dir: string): Promise<string> {
  for (let d = dir; ; d = path.dirname(d)) {
    if ((await statIfExists(fs, d))?.type === "directory" || path.dirname(d) === d) return d;
  }
}
