import { promises as fsp, type BigIntStats, type Dirent } from "node:fs";
import type { DirEntry, EntryType, FileStat, FileSystem } from "./fileSystem.js";

function typeOf(entry: BigIntStats | Dirent): EntryType {
  if (entry.isSymbolicLink()) return "symlink";
  if (entry.isFile()) return "file";
  if (entry.isDirectory()) return "directory";
  return "other";
}

function toFileStat(s: BigIntStats): FileStat {
  return {
    type: typeOf(s),
    dev: s.dev,
    ino: s.ino,
    size: Number(s.size),
    mtimeMs: Number(s.mtimeMs),
    nlink: Number(s.nlink),
  };
}

/** The real filesystem, through Node's `fs.promises`. */
export class NodeFileSystem implements FileSystem {
  async lstat(path: string): Promise<FileStat> {
    return toFileStat(await fsp.lstat(path, { bigint: true }));
  }

  async stat(path: string): Promise<FileStat> {
    return toFileStat(await fsp.stat(path, { bigint: true }));
  }

  async readdir(path: string): Promise<DirEntry[]> {
    const entries = await fsp.readdir(path, { withFileTypes: true });
    return entries.map((e) => ({ name: e.name, type: typeOf(e) }));
  }

  async readFile(path: string): Promise<Uint8Array> {
    return fsp.readFile(path);
  }

  async writeNewFile(path: string, data: string): Promise<void> {
    await fsp.writeFile(path, data, { flag: "wx" });
  }
}
