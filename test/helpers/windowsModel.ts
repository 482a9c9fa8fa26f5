import path from "node:path";
import type { DirEntry, FileStat, FileSystem, SymlinkType } from "../../src/fs/fileSystem.js";
import { fsError } from "../../src/fs/wrappers.js";
import { maxHardLinks } from "../../src/platform.js";

/** How the modelled Windows is set up. */
export interface WindowsModelOptions {
  /** Developer Mode or an elevated shell: symlinks may be made. Junctions always may. Default: true. */
  privileged?: boolean;
  /** Directories that are volumes of their own (another drive): hard links and renames cannot cross. */
  volumes?: string[];
}

/**
 * Windows' rules, over the real filesystem, for what Linux cannot show:
 *
 * - names are found whatever their case (`~/.VIMRC` is `~/.vimrc`), as on NTFS;
 * - without the privilege a symlink (file or dir) is EPERM, while a junction is allowed;
 * - a junction's target must be an absolute directory, and `readlink` of a junction ends in
 *   `\`, as Node 20 returns it;
 * - a symlink's type is explicit and must match its target (a file symlink to a directory
 *   is unusable on Windows): the model throws if the engine ever makes such a link;
 * - `rename` cannot replace a directory symlink, a junction or a directory (EPERM);
 * - `unlink` of a directory link or of a real directory is EPERM; `rmdir` removes a directory link;
 * - hard links and renames cannot cross volumes (EXDEV), and a file has at most 1023 names (EMLINK);
 * - each volume has its own device number.
 *
 * Not modelled: Windows path syntax (paths stay the host's), and the case of the text a
 * link stores (the host follows it as written).
 */
export function windowsModel(inner: FileSystem, options: WindowsModelOptions = {}): FileSystem {
  return new ModelFileSystem(inner, {
    windows: true,
    privileged: options.privileged ?? true,
    volumes: options.volumes ?? [],
  });
}

/** macOS' default (APFS, case-insensitive) over the real filesystem: names are found whatever their case and Unicode normalisation. */
export function macModel(inner: FileSystem): FileSystem {
  return new ModelFileSystem(inner, {
    windows: false,
    privileged: true,
    volumes: [],
    normalisation: true,
  });
}

interface ModelOptions {
  windows: boolean;
  /** Names are also found whatever their Unicode normalisation (APFS; NTFS is not so). */
  normalisation?: boolean;
  privileged: boolean;
  volumes: string[];
}

class ModelFileSystem implements FileSystem {
  /** The junctions made through the model, by the device and inode of the link itself. */
  private readonly junctions = new Set<string>();

  constructor(
    private readonly inner: FileSystem,
    private readonly options: ModelOptions,
  ) {}

  /** A name as the model compares names: case folded (and, like APFS, Unicode normalised). */
  private fold(name: string): string {
    return (this.options.normalisation ? name.normalize("NFC") : name).toLowerCase();
  }

  /** The path as the disk spells it: each existing name found whatever its case. */
  private async onDisk(p: string): Promise<string> {
    if (await this.inner.lstatIfExists(p)) return p;
    const { root } = path.parse(p);
    const names = p.slice(root.length).split(path.sep).filter(Boolean);
    let current = root;
    for (const [i, name] of names.entries()) {
      const exact = path.join(current, name);
      if (await this.inner.lstatIfExists(exact)) {
        current = exact;
        continue;
      }
      const entries = await this.inner.readdir(current).catch((): DirEntry[] => []);
      const match = entries.find((e) => this.fold(e.name) === this.fold(name));
      if (!match) return path.join(current, ...names.slice(i));
      current = path.join(current, match.name);
    }
    return current;
  }

  /** The volume a path on disk is on: the index of the longest volume holding it, or -1. */
  private volumeOf(p: string): number {
    let best = -1;
    for (const [i, volume] of this.options.volumes.entries()) {
      const inside = p === volume || p.startsWith(volume + path.sep);
      if (inside && (best < 0 || volume.length > this.options.volumes[best]!.length)) best = i;
    }
    return best;
  }

  /** The volume of the directory entry `p` (its parent's real path, plus its name). */
  private async entryVolume(p: string): Promise<number> {
    const parent = await this.inner.realpath(path.dirname(p)).catch(() => path.dirname(p));
    return this.volumeOf(path.join(parent, path.basename(p)));
  }

  private withVolume(stat: FileStat, volume: number): FileStat {
    return volume < 0 ? stat : { ...stat, dev: 0xf00n + BigInt(volume) };
  }

  private async junctionKey(p: string): Promise<string | undefined> {
    const stat = await this.inner.lstatIfExists(p);
    return stat?.type === "symlink" ? `${stat.dev}:${stat.ino}` : undefined;
  }

  private async isDirectoryLink(p: string): Promise<boolean> {
    return (
      (await this.inner.lstatIfExists(p))?.type === "symlink" &&
      (await this.inner.statIfExists(p))?.type === "directory"
    );
  }

  async lstat(p: string): Promise<FileStat> {
    const disk = await this.onDisk(p);
    return this.withVolume(await this.inner.lstat(disk), await this.entryVolume(disk));
  }

  async stat(p: string): Promise<FileStat> {
    const disk = await this.onDisk(p);
    const stat = await this.inner.stat(disk);
    return this.withVolume(stat, this.volumeOf(await this.inner.realpath(disk)));
  }

  async lstatIfExists(p: string): Promise<FileStat | undefined> {
    const disk = await this.onDisk(p);
    const stat = await this.inner.lstatIfExists(disk);
    return stat && this.withVolume(stat, await this.entryVolume(disk));
  }

  async statIfExists(p: string): Promise<FileStat | undefined> {
    const disk = await this.onDisk(p);
    const stat = await this.inner.statIfExists(disk);
    return stat && this.withVolume(stat, this.volumeOf(await this.inner.realpath(disk)));
  }

  async readdir(p: string, maxEntries?: number): Promise<DirEntry[]> {
    return this.inner.readdir(await this.onDisk(p), maxEntries);
  }

  async readFile(p: string, maxBytes: number): Promise<Uint8Array> {
    return this.inner.readFile(await this.onDisk(p), maxBytes);
  }

  async readlink(p: string): Promise<string> {
    const disk = await this.onDisk(p);
    const text = await this.inner.readlink(disk);
    const key = await this.junctionKey(disk);
    return key && this.junctions.has(key) ? `${text}\\` : text;
  }

  async realpath(p: string): Promise<string> {
    return this.inner.realpath(await this.onDisk(p));
  }

  async writeNewFile(
    p: string,
    data: string | readonly Uint8Array[],
    mode?: number,
    flush?: boolean,
  ): Promise<void> {
    return this.inner.writeNewFile(await this.onDisk(p), data, mode, flush);
  }

  async syncDirectory(p: string): Promise<void> {
    return this.inner.syncDirectory(await this.onDisk(p));
  }

  async symlink(text: string, p: string, type: SymlinkType): Promise<void> {
    const disk = await this.onDisk(p);
    if (this.options.windows) {
      const target = await this.statIfExists(path.resolve(path.dirname(disk), text));
      if (type === "junction" && (!path.isAbsolute(text) || target?.type !== "directory")) {
        throw new Error(`the Windows model: a junction needs an absolute directory, not ${text}`);
      }
      const wanted = type === "file" ? "file" : "directory";
      if (type !== "junction" && target && target.type !== wanted) {
        throw new Error(`the Windows model: a ${type} symlink to a ${target.type} is unusable`);
      }
      if (!this.options.privileged && type !== "junction") throw fsError("EPERM", "symlink", p);
    }
    await this.inner.symlink(text, disk, type);
    if (this.options.windows && type === "junction") {
      this.junctions.add((await this.junctionKey(disk))!);
    }
  }

  async link(existing: string, p: string): Promise<void> {
    const [from, to] = [await this.onDisk(existing), await this.onDisk(p)];
    if (this.options.windows) {
      if ((await this.statIfExists(from))?.type === "directory") {
        throw fsError("EPERM", "link", p);
      }
      const fromVolume = this.volumeOf(await this.inner.realpath(from).catch(() => from));
      if (fromVolume !== (await this.entryVolume(to))) throw fsError("EXDEV", "link", p);
      if ((await this.inner.stat(from)).nlink >= maxHardLinks("win32")) {
        throw fsError("EMLINK", "link", p);
      }
    }
    return this.inner.link(from, to);
  }

  async copyFile(from: string, to: string): Promise<void> {
    return this.inner.copyFile(await this.onDisk(from), await this.onDisk(to));
  }

  async rename(from: string, to: string): Promise<void> {
    const [source, dest] = [await this.onDisk(from), await this.onDisk(to)];
    if (this.options.windows) {
      if ((await this.entryVolume(source)) !== (await this.entryVolume(dest))) {
        throw fsError("EXDEV", "rename", to);
      }
      const there = await this.inner.lstatIfExists(dest);
      if (there?.type === "directory" || (await this.isDirectoryLink(dest))) {
        throw fsError("EPERM", "rename", to);
      }
    }
    return this.inner.rename(source, dest);
  }

  async unlink(p: string): Promise<void> {
    const disk = await this.onDisk(p);
    if (this.options.windows) {
      const there = await this.inner.lstatIfExists(disk);
      if (there?.type === "directory" || (await this.isDirectoryLink(disk))) {
        throw fsError("EPERM", "unlink", p);
      }
    }
    return this.removeLink(disk);
  }

  async rmdir(p: string): Promise<void> {
    const disk = await this.onDisk(p);
    if (this.options.windows && (await this.isDirectoryLink(disk))) return this.removeLink(disk);
    return this.inner.rmdir(disk);
  }

  async mkdir(p: string): Promise<void> {
    return this.inner.mkdir(await this.onDisk(p));
  }

  private async removeLink(disk: string): Promise<void> {
    const key = await this.junctionKey(disk);
    await this.inner.unlink(disk);
    if (key) this.junctions.delete(key);
  }
}
