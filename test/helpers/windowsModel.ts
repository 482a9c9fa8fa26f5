import type { FileSystem } from "../../src/fs/fileSystem.js";
import { fsError } from "../../src/fs/wrappers.js";

/** How the modelled Windows is set up. */
export interface WindowsModelOptions {
  /** Developer Mode or an elevated shell: symlinks may be made. Junctions always may. */
  privileged?: boolean;
}

/**
 * Windows' rules, over the real filesystem, for what Linux cannot show: without the
 * privilege a symlink (file or dir) is EPERM while a junction is allowed; `rename` cannot
 * replace a directory symlink or junction (EPERM); `unlink` of a directory link or of a real
 * directory is EPERM; `rmdir` removes a directory link. Not modelled: case-insensitive
 * lookups, volumes (EXDEV), Windows path syntax.
 */
export function windowsModel(inner: FileSystem, options: WindowsModelOptions = {}): FileSystem {
  const privileged = options.privileged ?? true;
  const isDirectoryLink = async (p: string) =>
    (await inner.lstatIfExists(p))?.type === "symlink" &&
    (await inner.statIfExists(p))?.type === "directory";
  const rules: Partial<Record<keyof FileSystem, (...args: string[]) => Promise<unknown>>> = {
    symlink: async (text, p, type) => {
      if (!privileged && type !== "junction") throw fsError("EPERM", "symlink", p as string);
      return inner.symlink(text as string, p as string, type as "file" | "dir" | "junction");
    },
    rename: async (from, to) => {
      if (await isDirectoryLink(to as string)) throw fsError("EPERM", "rename", to as string);
      return inner.rename(from as string, to as string);
    },
    unlink: async (p) => {
      const stat = await inner.lstatIfExists(p as string);
      if ((await isDirectoryLink(p as string)) || stat?.type === "directory")
        throw fsError("EPERM", "unlink", p as string);
      return inner.unlink(p as string);
    },
    rmdir: async (p) =>
      (await isDirectoryLink(p as string)) ? inner.unlink(p as string) : inner.rmdir(p as string),
  };
  return new Proxy(inner, {
    get(target, key, receiver) {
      const rule = rules[key as keyof FileSystem];
      if (rule) return rule;
      const value = Reflect.get(target, key, receiver) as unknown;
      return typeof value === "function"
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}
