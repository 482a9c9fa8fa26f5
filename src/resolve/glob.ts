import path from "node:path";
import picomatch from "picomatch";
import type { FileSystem } from "../fs/fileSystem.js";
import { isMissing, statIfExists } from "../fs/fileSystem.js";
import { caseInsensitive } from "../platform.js";

/** A target pattern split into the directory to walk and the glob below it. */
export interface GlobPattern {
  /** The static part: the directory the walk starts in. */
  base: string;
  /** The glob, relative to `base`, with `/` separators and no trailing `/`. */
  glob: string;
  /** A pattern ending in `/` matches directories (each linked whole) instead of files. */
  directories: boolean;
}

/** One match of a glob target. */
export interface GlobMatch {
  /** Absolute path of the match. */
  path: string;
  /** The match's path below the pattern's static part, with `/` separators. */
  relative: string;
  type: "file" | "directory";
}

/** A glob walks at most this many entries, so `target: /**` cannot walk a whole disk. */
export const MAX_GLOB_ENTRIES = 100_000;

/** Thrown when a glob would walk more than MAX_GLOB_ENTRIES entries. */
export class GlobTooLarge extends Error {
  constructor(readonly base: string) {
    super(
      `the glob walks more than ${MAX_GLOB_ENTRIES.toLocaleString("en")} entries below ${base}`,
    );
    this.name = "GlobTooLarge";
  }
}

/** The pattern of a target, if it is a glob (picomatch syntax); `undefined` for a plain path. */
export function parseGlob(target: string): GlobPattern | undefined {
  const directories = /[/\\]$/.test(target);
  const trimmed = directories ? target.replace(/[/\\]+$/, "") : target;
  const scan = picomatch.scan(trimmed);
  if (!scan.isGlob) return undefined;
  return { base: scan.base || ".", glob: scan.glob, directories };
}

/**
 * Every match of a glob, sorted by relative path. Dotfiles match; `.git` is never matched
 * or entered; excluded directories are not entered. Symlinks inside the tree are matched
 * by what they point to but never walked through. A missing base is no match, not an error.
 * Names match whatever their case where the platform's names do (Windows, macOS).
 */
export async function expandGlob(
  fs: FileSystem,
  pattern: GlobPattern,
  exclude: readonly string[],
  platform: string,
): Promise<GlobMatch[]> {
  const nocase = caseInsensitive(platform);
  const matches = picomatch(pattern.glob, { dot: true, nocase });
  const excluded = exclude.length
    ? picomatch([...exclude], { dot: true, basename: true, nocase })
    : () => false;
  const isGit = (name: string) => (nocase ? name.toLowerCase() : name) === ".git";
  // Without `**` a glob cannot match deeper than its own number of segments.
  const maxDepth = pattern.glob.includes("**") ? Infinity : pattern.glob.split("/").length;
  const found: GlobMatch[] = [];
  let walked = 0;

  const walk = async (dir: string, relative: string, depth: number): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(dir);
    } catch (error) {
      if (depth === 0 && isMissing(error)) return;
      throw error;
    }
    walked += entries.length;
    if (walked > MAX_GLOB_ENTRIES) throw new GlobTooLarge(pattern.base);
    for (const entry of entries) {
      if (isGit(entry.name)) continue;
      const rel = relative ? `${relative}/${entry.name}` : entry.name;
      if (excluded(rel)) continue;
      const full = path.join(dir, entry.name);
      let type = entry.type;
      const throughLink = type === "symlink";
      if (throughLink) type = (await statIfExists(fs, full))?.type ?? "file";
      if (type === "directory") {
        if (pattern.directories && matches(rel)) found.push({ path: full, relative: rel, type });
        else if (!throughLink && depth + 1 < maxDepth) await walk(full, rel, depth + 1);
      } else if (type === "file" && !pattern.directories && matches(rel)) {
        found.push({ path: full, relative: rel, type });
      }
    }
  };

  await walk(pattern.base, "", 0);
  return found.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
}
