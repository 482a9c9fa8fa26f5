import type { FileSystem } from "../../src/fs/fileSystem.js";
import { fsError } from "../../src/fs/wrappers.js";

/**
 * Some of Windows' rules, over the real filesystem, for what Linux cannot show: `rename`
 * cannot replace a directory symlink or junction (EPERM), `unlink` of a directory link is
 * EPERM, and `rmdir` removes a directory link. Paths and the rest stay Linux's.
 */
export function windowsModel(inner: FileSystem): FileSystem {
  const isDirectoryLink = async (p: string) =>
    (await inner.lstatIfExists(p))?.type === "symlink" &&
    (await inner.statIfExists(p))?.type === "directory";
  return new Proxy(inner, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (key === "rename") {
        return async (from: string, to: string) => {
          if (await isDirectoryLink(to)) throw fsError("EPERM", "rename", to);
          return target.rename(from, to);
        };
      }
      if (key === "unlink") {
        return async (p: string) => {
          if (await isDirectoryLink(p)) throw fsError("EPERM", "unlink", p);
          return target.unlink(p);
        };
      }
      if (key === "rmdir") {
        return async (p: string) =>
          (await isDirectoryLink(p)) ? target.unlink(p) : target.rmdir(p);
      }
      return typeof value === "function"
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}
