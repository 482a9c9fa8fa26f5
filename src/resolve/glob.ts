import path from "node:path";
import picomatch from "picomatch";
import type { DirEntry, FileSystem } from "../fs/fileSystem.js";
import { isMissing, statIfExists } from "../fs/fileSystem.js";
import { caseInsensitive, isInside, pathKey, samePath } from "../platform.js";
import { joinName } from "../paths.js";
import { ANY, DIRECTORY, GlobMatcher, GlobSyntaxError, type GlobStates } from "./globMatcher.js";

/** A target pattern split into the directory to walk and the glob below it. */
export interface GlobPattern {
  /** The static part: the directory the walk starts in. */
  base: string;
  /** The glob, relative to `base`, with `/` separators and no trailing `/`. */
  glob: string;
  /** A pattern ending in `/` matches directories (each linked whole) instead of files. */
  directories: boolean;
  /**
   * A link glob's directories: each match is walked into too (`packages/**` matches at every
   * depth), and a symlink to a directory is never matched, since a link made through it
   * would land outside the tree.
   */
  fanOut?: boolean;
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

/**
 * Matching a glob and its `exclude` patterns may take at most this many automaton steps in
 * all (a few seconds at worst; a normal walk of 100,000 names takes far fewer, since each
 * step is remembered). Each name costs at most its length × MAX_GLOB_STATES steps.
 */
export const MAX_GLOB_STEPS = 20_000_000;

/** Thrown when a glob would walk more than MAX_GLOB_ENTRIES entries. */
export class GlobTooLarge extends Error {
  constructor(readonly base: string) {
    super(
      `the glob walks more than ${MAX_GLOB_ENTRIES.toLocaleString("en")} entries below ${base}`,
    );
    this.name = "GlobTooLarge";
  }
}

/** A target or `exclude` pattern that linkman refuses: unsupported, or too complex to match in bounded time. */
export class GlobRefused extends Error {
  constructor(
    message: string,
    /** Which `exclude` pattern, by index; undefined for the target. */
    readonly exclude?: number,
  ) {
    super(message);
    this.name = "GlobRefused";
  }
}

const GLOB_CHARACTERS = /[*?[{(]/;

/** Whether a text may be a glob: picomatch calls a pattern a glob only for one of `*?[{(`. */
export function mayBeGlob(text: string): boolean {
  return GLOB_CHARACTERS.test(text);
}

/** The pattern of a target, if it is a glob (picomatch syntax); `undefined` for a plain path. */
export function parseGlob(target: string): GlobPattern | undefined {
  const directories = /[/\\]$/.test(target);
  const trimmed = directories ? target.replace(/[/\\]+$/, "") : target;
  // picomatch calls a pattern a glob only for one of these characters; without them (nearly
  // every explicit entry: 10,000 scans in a large manifest) the scan is skipped.
  if (!mayBeGlob(trimmed)) return undefined;
  const scan = picomatch.scan(trimmed);
  if (!scan.isGlob) return undefined;
  return { base: scan.base || ".", glob: scan.glob, directories };
}

/** A link glob: the directories it fans out over, and the link's name in each. */
export interface LinkGlob {
  directories: GlobPattern;
  name: string;
}

/**
 * The fan-out of a link path: `undefined` for a plain path, a message when the glob is in
 * the link's own name (a link cannot be made under a name that is a pattern). Whether it is
 * a glob is read from the link as `written`, without its variables: a home or a variable
 * holding `[1]` or `(x86)` never turns a plain link into a pattern. The pattern is the
 * `expanded` link before it is resolved, so the manifest's own directory is never read as
 * one; relative directories are resolved from `dir`.
 */
export function parseLinkGlob(
  written: string,
  link: string,
  dir: string,
): LinkGlob | string | undefined {
  // Replacing variables only removes characters: no glob character, no glob (and no scan).
  if (!mayBeGlob(written)) return undefined;
  if (!picomatch.scan(written.replace(/\$\{[^}]*\}|\$\w+/g, "v")).isGlob) return undefined;
  const name = path.basename(link);
  if (/[/\\]$/.test(link) || picomatch.scan(name).isGlob) {
    return `the last part of a link glob is the link's name and cannot be a pattern (${name})`;
  }
  const scan = picomatch.scan(path.dirname(link));
  return {
    directories: {
      base: path.resolve(dir, scan.base || "."),
      glob: scan.glob,
      directories: true,
      fanOut: true,
    },
    name,
  };
}

/**
 * Every match of a glob, sorted by relative path. Dotfiles match; `.git` is never matched
 * or entered; excluded directories are not entered. Symlinks inside the tree are matched
 * by what they point to but never walked through, except that a symlink pointing back into
 * the walked tree (as the links linkman makes do) is never matched. Nothing at or below a
 * path in `never` (the manifests, the entry's own link directory) is matched or entered.
 * A missing base is no match, not an error. Names match whatever their case where the
 * platform's names do (Windows, macOS). Throws GlobRefused for a pattern it will not run.
 * `onFound` is called at each match, for a progress indicator while a large tree is walked.
 */
export async function expandGlob(
  fs: FileSystem,
  pattern: GlobPattern,
  exclude: readonly string[],
  platform: string,
  never: readonly string[] = [],
  onFound?: () => void,
): Promise<GlobMatch[]> {
  return walkGlob(fs, pattern, exclude, platform, never, onFound, asMatch);
}

const asMatch = (path: string, relative: string, type: GlobMatch["type"]): GlobMatch => ({
  path,
  relative,
  type,
});

/**
 * `expandGlob`, each match made into what the caller keeps by `make` (its path, its path
 * below the static part, its type), in the same order: a caller that turns 10,000 matches
 * into links keeps no match object of each while the walk goes on.
 */
export async function walkGlob<T>(
  fs: FileSystem,
  pattern: GlobPattern,
  exclude: readonly string[],
  platform: string,
  never: readonly string[],
  onFound: (() => void) | undefined,
  make: (path: string, relative: string, type: GlobMatch["type"]) => T,
): Promise<T[]> {
  const nocase = caseInsensitive(platform);
  const target = compile(nocase, [pattern.glob]);
  const excluded = compile(nocase, exclude.map(asGitignore));
  const isGit = (name: string) => (nocase ? name.toLowerCase() : name) === ".git";
  const base = path.resolve(pattern.base);
  // Compared by key (as samePath compares), made once rather than per name walked.
  const neverKeys = new Set(never.map((p) => pathKey(p, platform)));
  // A glob of files never matches a directory itself, so a walk that takes each directory's
  // names in order (a directory's as its name and a `/`, as its matches' paths begin) finds
  // its matches sorted. A glob of directories matches a directory and may go on into it, so
  // its matches are sorted once found.
  const inOrder = !pattern.directories && !pattern.fanOut;
  const found: T[] = [];
  const unsorted: { relative: string; match: T }[] = [];
  const add = (full: string, relative: string, type: GlobMatch["type"]) => {
    if (inOrder) found.push(make(full, relative, type));
    else unsorted.push({ relative, match: make(full, relative, type) });
    onFound?.();
  };
  let walked = 0;

  // The walk carries each automaton's states after `relative/`, so a name costs its own
  // length, and a directory where the target cannot match any more is not read.
  const walk = async (
    dir: string,
    relative: string,
    want: GlobStates,
    skip: GlobStates,
  ): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(dir);
    } catch (error) {
      if (relative === "" && isMissing(error)) return;
      throw error;
    }
    walked += entries.length;
    if (walked > MAX_GLOB_ENTRIES) throw new GlobTooLarge(pattern.base);
    if (inOrder) entries.sort(inWalkOrder);
    // Indexed: for...of made a result object per name (10,000 in a large package).
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      if (target.steps + excluded.steps > MAX_GLOB_STEPS) {
        throw new GlobRefused(
          `matching the pattern and its excludes against the names below ${pattern.base} takes more than ${MAX_GLOB_STEPS.toLocaleString("en")} steps`,
        );
      }
      if (isGit(entry.name)) continue;
      const skipped = excluded.advance(skip, entry.name);
      const excludedAs = skipped.accepts;
      if (excludedAs & ANY) continue;
      // `path.join` without its walk over every character (as join gives: test/paths.test.ts).
      const full = joinName(dir, entry.name);
      if (neverKeys.has(pathKey(full, platform))) continue;
      let type = entry.type;
      const throughLink = type === "symlink";
      if (throughLink) {
        const text = await fs.readlink(full);
        const to = path.resolve(dir, text);
        if (samePath(to, base, platform) || isInside(to, base, platform)) continue;
        type = (await statIfExists(fs, full))?.type ?? "file";
      }
      if (type === "directory" && excludedAs & DIRECTORY) continue;
      const rel = relative ? `${relative}/${entry.name}` : entry.name;
      const matched = target.advance(want, entry.name);
      if (type === "directory") {
        if (pattern.fanOut) {
          if (throughLink) continue;
          if (matched.accepts) add(full, rel, type);
        }
        if (pattern.directories && matched.accepts && !pattern.fanOut) {
          add(full, rel, type);
        } else if (!throughLink) {
          const below = target.advance(matched, "/");
          if (below.states.length > 0) await walk(full, rel, below, excluded.advance(skipped, "/"));
        }
      } else if (type === "file" && !pattern.directories && matched.accepts) {
        add(full, rel, type);
      }
    }
  };

  await walk(pattern.base, "", target.initial(), excluded.initial());
  if (inOrder) return found;
  unsorted.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
  return unsorted.map((u) => u.match);
}

/**
 * The order of a directory's names as the paths of what they hold compare: a directory's
 * (not a symlink's, which is never walked into) as its name and a `/`.
 */
function inWalkOrder(a: DirEntry, b: DirEntry): number {
  const x = a.type === "directory" ? `${a.name}/` : a.name;
  const y = b.type === "directory" ? `${b.name}/` : b.name;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** An `exclude` pattern as `.gitignore` anchors it, with what it matches. */
interface Anchored {
  glob: string;
  kind: number;
}

/**
 * A pattern ending in `/` matches directories only; one with a `/` before its end is
 * anchored to the static part (a leading `/` only says so); one without matches a name at
 * any depth.
 */
function asGitignore(pattern: string): Anchored {
  const kind = /\/$/.test(pattern) ? DIRECTORY : ANY;
  const trimmed = pattern.replace(/\/+$/, "");
  if (trimmed.includes("/")) return { glob: trimmed.replace(/^\/+/, ""), kind };
  return { glob: `**/${trimmed}`, kind };
}

/** One automaton for all `patterns`; a refused one throws GlobRefused naming it. */
function compile(nocase: boolean, patterns: readonly (string | Anchored)[]): GlobMatcher {
  const matcher = new GlobMatcher(nocase);
  patterns.forEach((p, i) => {
    const { glob, kind } = typeof p === "string" ? { glob: p, kind: ANY } : p;
    try {
      matcher.add(glob, kind);
    } catch (error) {
      if (!(error instanceof GlobSyntaxError)) throw error;
      throw new GlobRefused(error.message, typeof p === "string" ? undefined : i);
    }
  });
  return matcher;
}
