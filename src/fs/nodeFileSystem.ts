import { constants as fsConstants, promises as fsp, type BigIntStats, type Dirent } from "node:fs";
import type { DirEntry, EntryType, FileStat, FileSystem, SymlinkType } from "./fileSystem.js";

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

  async readlink(path: string): Promise<string> {
    return fsp.readlink(path);
  }

  async realpath(path: string): Promise<string> {
    return fsp.realpath(path);
  }

  async writeNewFile(path: string, data: string): Promise<void> {
    await fsp.writeFile(path, data, { flag: "wx" });
  }

  async symlink(text: string, path: string, type: SymlinkType): Promise<void> {
    await fsp.symlink(text, path, type);
  }

  async link(existing: string, path: string): Promise<void> {
    await fsp.link(existing, path);
  }

  async copyFile(from: string, to: string): Promise<void> {
    await fsp.copyFile(from, to, fsConstants.COPYFILE_EXCL);
  }

  async rename(from: string, to: string): Promise<void> {
    await fsp.rename(from, to);
  }

  async unlink(path: string): Promise<void> {
    await fsp.unlink(path);
  }

  async rmdir(path: string): Promise<void> {
    await fsp.rmdir(path);
  }

  async mkdir(path: string): Promise<void> {
    await fsp.mkdir(path);
  }
}
