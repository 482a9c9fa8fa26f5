/** What is at a path, without following a final symlink (or, from `stat`, after following it). */
export type EntryType = "file" | "directory" | "symlink" | "other";

/** The part of a stat result linkman uses; `dev` and `ino` are bigints so hard links compare exactly. */
export interface FileStat {
  type: EntryType;
  dev: bigint;
  ino: bigint;
  size: number;
  mtimeMs: number;
  nlink: number;
  /** The permission bits (`0o755`); on Windows only the read-only bit means anything. */
  mode: number;
}

/** One name in a directory and what it is (`symlink` is not followed). */
export interface DirEntry {
  name: string;
  type: EntryType;
}

/**
 * Every filesystem access linkman makes goes through this interface (the manifest search,
 * manifests, state, locks and links alike), so a dry run, a test
 * recording or an injected fault sees exactly the calls a real run makes. Failures are
 * thrown as Node's errors, with `code` (ENOENT, EACCES, …) and `path`.
 * There is deliberately no recursive delete.
 */
export interface FileSystem {
  /** Information about the path itself; a symlink is reported as `symlink`. */
  lstat(path: string): Promise<FileStat>;
  /** Information about what the path leads to, following symlinks. */
  stat(path: string): Promise<FileStat>;
  /**
   * `lstat`, but `undefined` when nothing is there: the common answer, so no exception is
   * built for it. `dev` and `ino` are exact for regular files (hard links compare them).
   */
  lstatIfExists(path: string): Promise<FileStat | undefined>;
  /** `stat`, but `undefined` when nothing is there or a symlink dangles. */
  statIfExists(path: string): Promise<FileStat | undefined>;
  /**
   * The names in a directory, with their types. With `maxEntries`, a directory holding more
   * fails with EFBIG after reading about that many (as `readFile`'s bound): a caller that
   * lists to save lookups never pays for a directory far larger than what it looks up.
   */
  readdir(path: string, maxEntries?: number): Promise<DirEntry[]>;
  /**
   * A regular file's bytes, at most `maxBytes` of them: whatever size the file reports
   * (`/proc` files say 0), a longer one fails with EFBIG, and anything but a regular file
   * (a FIFO, a device, a directory) fails with EINVAL without blocking.
   */
  readFile(path: string, maxBytes: number): Promise<Uint8Array>;
  /** The text a symlink (or junction) stores. */
  readlink(path: string): Promise<string>;
  /** The path with every symlink resolved. */
  realpath(path: string): Promise<string>;
  /**
   * Writes a new file and flushes it to the disk before returning; fails with EEXIST when
   * something is already there. `mode` (default 0o666, less the umask) makes a script executable.
   * `flush: false` skips the flush, for a file a power loss may lose or empty harmlessly (the lock).
   * `data` is text, or bytes in pieces written one after another (a state's records, encoded once).
   */
  writeNewFile(
    path: string,
    data: string | readonly Uint8Array[],
    mode?: number,
    flush?: boolean,
  ): Promise<void>;
  /** Flushes a directory's entries to the disk (after a rename into it), so a power loss keeps them. */
  syncDirectory(path: string): Promise<void>;
  /**
   * Makes a symlink at `path` storing `text`. The type is always explicit: Windows needs
   * `dir` for a directory symlink and `junction` for a junction; elsewhere it is ignored.
   */
  symlink(text: string, path: string, type: SymlinkType): Promise<void>;
  /** Makes a hard link: a second name `path` for the file `existing`. Never overwrites. */
  link(existing: string, path: string): Promise<void>;
  /** Copies a file's bytes to a new file; fails with EEXIST when something is already there. */
  copyFile(from: string, to: string): Promise<void>;
  /** Renames `from` to `to`, replacing a file or link at `to` (atomically on POSIX). */
  rename(from: string, to: string): Promise<void>;
  /** Removes a file or a link (never a directory). */
  unlink(path: string): Promise<void>;
  /** Removes an empty directory. */
  rmdir(path: string): Promise<void>;
  /** Makes one directory; its parent must exist. */
  mkdir(path: string): Promise<void>;
}

/** How a symlink is made on Windows: to a file, to a directory, or as a junction. */
export type SymlinkType = "file" | "dir" | "junction";

/** The operations that change the disk, for the wrappers that refuse or record them. */
export const WRITE_OPERATIONS = [
  "writeNewFile",
  "symlink",
  "link",
  "copyFile",
  "rename",
  "unlink",
  "rmdir",
  "mkdir",
] as const;

/** The name of one FileSystem operation. */
export type Operation = keyof FileSystem;

/** The errno code of a thrown filesystem error, if it has one. */
export function errorCode(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error
    ? String((error as { code: unknown }).code)
    : undefined;
}

/** `lstat` that answers `undefined` for a path that does not exist (ENOENT or ENOTDIR). */
export async function lstatIfExists(fs: FileSystem, path: string): Promise<FileStat | undefined> {
  try {
    return await fs.lstatIfExists(path);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/** `stat` that answers `undefined` for a path that does not exist or dangles. */
export async function statIfExists(fs: FileSystem, path: string): Promise<FileStat | undefined> {
  try {
    return await fs.statIfExists(path);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/** The most linkman reads of any one input file: a manifest, an include, a state, a saved plan, a lock. */
export const MAX_INPUT_BYTES = 4 * 1024 * 1024;

/** A regular file's text, read with a size bound (`MAX_INPUT_BYTES` unless told otherwise). */
export async function readTextFile(
  fs: FileSystem,
  path: string,
  maxBytes: number = MAX_INPUT_BYTES,
): Promise<string> {
  return new TextDecoder().decode(await fs.readFile(path, maxBytes));
}

/**
 * A directory's names and what each is, read with `readdir`'s bound (EFBIG past
 * `maxEntries`): for a caller that lists to save a lookup per name.
 */
export async function namesIn(
  fs: FileSystem,
  dir: string,
  maxEntries: number,
): Promise<Map<string, EntryType>> {
  const entries = await fs.readdir(dir, maxEntries);
  const names = new Map<string, EntryType>();
  // Indexed: run once, this loop stays unoptimised, where for...of makes a result per name.
  for (let i = 0; i < entries.length; i++) names.set(entries[i]!.name, entries[i]!.type);
  return names;
}

/** True for the errors that mean "nothing is there". */
export function isMissing(error: unknown): boolean {
  const code = errorCode(error);
  return code === "ENOENT" || code === "ENOTDIR";
}
