import path from "node:path";
import { nearestExistingDirectory } from "../fs/ensureDirectory.js";
import type { FileSystem } from "../fs/fileSystem.js";
import { pathKey } from "../platform.js";
import { findRepository } from "../resolve/git.js";

/** A directory links may be made under: as written, and its real path. */
export interface Root {
  path: string;
  real: string;
}

/** Where the roots come from: home, the manifest's directory, and each `--allow-outside DIR`. */
export interface RootsWhere {
  homedir: string;
  manifest: string;
  allowOutside?: readonly string[] | undefined;
}

/**
 * The directories links may be made under, as written and as they really are: home, the
 * manifest's directory, each `--allow-outside DIR` (SPEC rule 5), and the git directories
 * of the repository holding the manifest (a worktree's or submodule's lie elsewhere).
 */
export async function rootsFor(fs: FileSystem, where: RootsWhere): Promise<Root[]> {
  const repo = await findRepository(fs, path.dirname(where.manifest));
  const git = repo ? [repo.gitDir, repo.commonDir] : [];
  const dirs = [where.homedir, path.dirname(where.manifest), ...git, ...(where.allowOutside ?? [])];
  return Promise.all(
    dirs.map(async (dir) => {
      const p = path.resolve(dir);
      return { path: p, real: await fs.realpath(p).catch(() => p) };
    }),
  );
}

/** Each root's path and real path as keys ending in a separator, and the real paths' keys, made once per roots and platform. */
const rootPrefixes = new WeakMap<
  readonly Root[],
  { platform: string; written: string[]; real: string[]; realKeys: string[] }
>();

function prefixesOf(roots: readonly Root[], platform: string) {
  let known = rootPrefixes.get(roots);
  if (known?.platform !== platform) {
    const sep = platform === "win32" ? "\\" : "/";
    const prefix = (key: string) => (key.endsWith(sep) ? key : key + sep);
    const realKeys = roots.map((r) => pathKey(r.real, platform));
    known = {
      platform,
      written: roots.map((r) => prefix(pathKey(r.path, platform))),
      real: realKeys.map(prefix),
      realKeys,
    };
    rootPrefixes.set(roots, known);
  }
  return known;
}

/** Whether a real path is a root's real path or lies inside one (`samePath || isInside`, with the roots' keys made once). */
function inRealRoots(real: string, roots: readonly Root[], platform: string): boolean {
  const { real: prefixes, realKeys } = prefixesOf(roots, platform);
  const key = pathKey(real, platform);
  return realKeys.includes(key) || prefixes.some((p) => key.startsWith(p));
}

/**
 * Whether a path lies below the roots (never a root itself) both as written and where it
 * really leads (through symlinked directories); not necessarily the same root (~/.config
 * may lead into the repository). Asked once per link: the roots' keys are made once.
 */
export function inRoots(
  written: string,
  real: string,
  roots: readonly Root[],
  platform: string,
): boolean {
  const prefixes = prefixesOf(roots, platform);
  const writtenKey = pathKey(written, platform);
  if (!prefixes.written.some((p) => writtenKey.startsWith(p))) return false;
  const realKey = pathKey(real, platform);
  return prefixes.real.some((p) => realKey.startsWith(p));
}

/**
 * Whether `real` (the real path of `dir`) is where `dir` lies as written below a root, with
 * no symlink on the way below that root: a directory made through one (a link into the
 * repository) is another's directory once that link leads elsewhere.
 */
export function reachedAsWritten(
  dir: string,
  real: string,
  roots: readonly Root[],
  platform: string,
): boolean {
  const { written, real: reals } = prefixesOf(roots, platform);
  const dirKey = pathKey(dir, platform);
  const realKey = pathKey(real, platform);
  return written.some(
    (p, i) => dirKey.startsWith(p) && realKey === reals[i] + dirKey.slice(p.length),
  );
}

/**
 * The check right before a write into `dir`: the nearest existing directory on the way,
 * resolved now (never cached), must really lie inside a root. Throws, naming where it leads,
 * when a directory was swapped for a symlink that leads elsewhere. Returns that nearest
 * existing directory (`dir` itself when it exists). `exists: false` says `dir` is likely
 * missing, so it is looked for by stat first: a realpath that fails costs an exception.
 */
export async function checkInsideRoots(
  fs: FileSystem,
  dir: string,
  roots: readonly Root[],
  platform: string,
  exists = true,
): Promise<string> {
  // One call where the directory exists (the common case); else its nearest existing ancestor.
  if (exists) {
    let real: string | undefined;
    try {
      real = await fs.realpath(dir);
    } catch {
      // Missing after all (or not a directory): its nearest existing ancestor is checked.
    }
    if (real !== undefined) return realInsideRoots(dir, dir, real, roots, platform);
  }
  const existing = await nearestExistingDirectory(fs, dir);
  return realInsideRoots(dir, existing, await fs.realpath(existing), roots, platform);
}

/** A directory on the way to a write now leads outside the roots: the action becomes a conflict (SPEC rule 8), and the rest go on. */
export class OutsideRoots extends Error {
  override name = "OutsideRoots";
}

/**
 * `checkInsideRoots` once `existing` (`dir` or the nearest existing directory on its way)
 * was just resolved to `real`: returns `existing`, or throws unless `real` lies in a root.
 */
export function realInsideRoots(
  dir: string,
  existing: string,
  real: string,
  roots: readonly Root[],
  platform: string,
): string {
  if (!inRealRoots(real, roots, platform)) {
    throw Object.assign(
      new OutsideRoots(
        `${existing} now leads to ${real}, outside your home and the manifest's directory (a directory was changed since the plan); nothing was written there`,
      ),
      { path: dir },
    );
  }
  return existing;
}
