import {
  closeSync,
  constants as fsConstants,
  fstatSync,
  fsyncSync,
  openSync,
  readSync,
  writeSync,
  copyFileSync,
  linkSync,
  lstatSync,
  mkdirSync,
  opendirSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmdirSync,
  statSync,
  symlinkSync,
  unlinkSync,
  type BigIntStats,
  type Dirent,
  type Stats,
} from "node:fs";
import type { DirEntry, EntryType, FileStat, FileSystem, SymlinkType } from "./fileSystem.js";

/** An error shaped like Node's own, with `code`, `syscall` and `path`. */
function fsError(code: string, syscall: string, path: string, why: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${code}: ${why}, ${syscall} '${path}'`);
  error.code = code;
  error.syscall = syscall;
  error.path = path;
  return error;
}

function typeOf(entry: BigIntStats | Stats | Dirent): EntryType {
  if (entry.isSymbolicLink()) return "symlink";
  if (entry.isFile()) return "file";
  if (entry.isDirectory()) return "directory";
  return "other";
}

/** A stat result as linkman uses it, from number or bigint stats. */
function toFileStat(s: Stats | BigIntStats): FileStat {
  return {
    type: typeOf(s),
    dev: BigInt(s.dev),
    ino: BigInt(s.ino),
    size: Number(s.size),
    mtimeMs: Number(s.mtimeMs),
    nlink: Number(s.nlink),
    mode: Number(s.mode) & 0o7777,
  };
}

/**
 * A stat result from number stats, if its device and inode numbers are exact as numbers
 * (they almost always are); otherwise undefined, and the caller asks again with bigints.
 * Bigint stats allocate a dozen BigInts per call, which at 10,000 links shows in the time
 * and the garbage collector.
 */
function exactly(s: Stats): FileStat | undefined {
  return Number.isSafeInteger(s.dev) && Number.isSafeInteger(s.ino) ? toFileStat(s) : undefined;
}

const exactStat = (s: BigIntStats | undefined) => s && toFileStat(s);

/**
 * The real filesystem. Each call is a synchronous syscall behind the Promise interface: a
 * command-line tool does one thing at a time, and a trip through libuv's thread pool costs
 * far more than the syscall itself (10,000 symlinks: about 0.2 s this way, several seconds
 * through fs.promises on a 2-core machine).
 */
export class NodeFileSystem implements FileSystem {
  async lstat(path: string): Promise<FileStat> {
    return toFileStat(lstatSync(path, { bigint: true }));
  }

  async stat(path: string): Promise<FileStat> {
    return toFileStat(statSync(path, { bigint: true }));
  }

  async lstatIfExists(path: string): Promise<FileStat | undefined> {
    const quick = lstatSync(path, { throwIfNoEntry: false });
    if (!quick) return undefined;
    return exactly(quick) ?? exactStat(lstatSync(path, { bigint: true, throwIfNoEntry: false }));
  }

  async statIfExists(path: string): Promise<FileStat | undefined> {
    const quick = statSync(path, { throwIfNoEntry: false });
    if (!quick) return undefined;
    return exactly(quick) ?? exactStat(statSync(path, { bigint: true, throwIfNoEntry: false }));
  }

  async readdir(path: string, maxEntries?: number): Promise<DirEntry[]> {
    if (maxEntries === undefined) {
      return readdirSync(path, { withFileTypes: true }).map((e) => ({
        name: e.name,
        type: typeOf(e),
      }));
    }
    // Read in batches, and stopped past the bound: a directory's size does not always tell
    // how many names it holds (overlayfs reports its upper layer's alone).
    const dir = opendirSync(path, { bufferSize: 128 });
    try {
      const entries: DirEntry[] = [];
      for (let e = dir.readSync(); e !== null; e = dir.readSync()) {
        if (entries.length >= maxEntries)
          throw fsError("EFBIG", "scandir", path, `more than ${maxEntries} entries`);
        entries.push({ name: e.name, type: typeOf(e) });
      }
      return entries;
    } finally {
      dir.closeSync();
    }
  }

  async readFile(path: string, maxBytes: number): Promise<Uint8Array> {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    const fd = openSync(path, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile()) throw fsError("EINVAL", "read", path, "not a regular file");
      // Read until the end whatever size the file reports (/proc files report 0 and go on),
      // into one buffer sized from that report and grown only past it, never past the bound.
      let buffer = Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(stat.size + 1, 4096)));
      let total = 0;
      for (;;) {
        if (total === buffer.length) {
          if (total > maxBytes)
            throw fsError("EFBIG", "read", path, `larger than ${maxBytes} bytes`);
          const grown = Buffer.allocUnsafe(Math.min(maxBytes + 1, buffer.length * 2));
          buffer.copy(grown, 0, 0, total);
          buffer = grown;
        }
        const n = readSync(fd, buffer, total, buffer.length - total, null);
        if (n === 0) break;
        total += n;
      }
      if (total > maxBytes) throw fsError("EFBIG", "read", path, `larger than ${maxBytes} bytes`);
      return buffer.subarray(0, total);
    } finally {
      closeSync(fd);
    }
  }

  async readlink(path: string): Promise<string> {
    return readlinkSync(path);
  }

  async realpath(path: string): Promise<string> {
    return realpathSync.native(path);
  }

  async writeNewFile(
    path: string,
    data: string | readonly Uint8Array[],
    mode?: number,
    flush = true,
  ): Promise<void> {
    const fd = openSync(path, "wx", mode);
    try {
      // Encoded first: Node 20's writeSync of a string reserves 3 bytes a character and
      // encodes on a slow path (a 2 MB state: ~25 ms, against a few ms encoded, then written).
      for (const piece of typeof data === "string" ? [Buffer.from(data, "utf8")] : data) {
        for (let at = 0; at < piece.length;) at += writeSync(fd, piece, at);
      }
      if (flush) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  async syncDirectory(path: string): Promise<void> {
    const fd = openSync(path, "r");
    try {
      fsyncSync(fd);
    } catch (error) {
      // Some filesystems (and Windows) cannot fsync a directory; the rename still happened.
      const code = (error as { code?: string }).code;
      if (code !== "EINVAL" && code !== "EPERM" && code !== "EISDIR" && code !== "EBADF")
        throw error;
    } finally {
      closeSync(fd);
    }
  }

  async symlink(text: string, path: string, type: SymlinkType): Promise<void> {
    symlinkSync(text, path, type);
  }

  async link(existing: string, path: string): Promise<void> {
    linkSync(existing, path);
  }

  async copyFile(from: string, to: string): Promise<void> {
    copyFileSync(from, to, fsConstants.COPYFILE_EXCL);
  }

  async rename(from: string, to: string): Promise<void> {
    renameSync(from, to);
  }

  async unlink(path: string): Promise<void> {
    unlinkSync(path);
  }

  async rmdir(path: string): Promise<void> {
    rmdirSync(path);
  }

  async mkdir(path: string): Promise<void> {
    mkdirSync(path);
  }
}
