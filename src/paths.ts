import path from "node:path";

/*
 * Path arithmetic without `path.join` or `path.resolve` where their inputs are already
 * absolute and normal: each builds its answer character by character, and a plan of 10,000
 * links made several per link. Each function gives exactly what node:path would (property
 * tests in test/paths.test.ts); on Windows everything goes to node:path.
 */

/**
 * `path.resolve(dir, p)`: `p` itself where it is absolute and normal, `dir` and `p` joined
 * where `dir` is absolute and normal and `p` a relative path of plain names; else node:path.
 */
export function resolvePath(dir: string, p: string): string {
  if (isNormalAbsolute(p)) return p;
  if (isPlainRelative(p) && isNormalAbsolute(dir))
    return dir.length === 1 ? dir + p : `${dir}/${p}`;
  return path.resolve(dir, p);
}

/**
 * `path.join(dir, name)` for one name: a concatenation where `dir` is absolute and normal (a
 * real path, or one built from it), as join would give; anything else goes to `path.join`.
 */
export function joinName(dir: string, name: string): string {
  if (name === "" || name === "." || name === ".." || name.includes("/") || !isNormalAbsolute(dir))
    return path.join(dir, name);
  return dir === "/" ? dir + name : `${dir}/${name}`;
}

/**
 * Where `p`, a name in the directory `dir` (its `path.dirname`), really is, given the
 * directory's real path: `joinName(dirReal, path.basename(p))`, but `p` itself where the real
 * path is `dir` as written and `p` is absolute and normal (joinName would give `p` back), so
 * the plan of 10,000 up-to-date links makes no second string of each link and target path.
 */
export function inRealDirectory(p: string, dir: string, dirReal: string): string {
  return dirReal === dir && isNormalAbsolute(p) ? p : joinName(dirReal, path.basename(p));
}

/**
 * Whether `path.resolve` gives a path back as it is: absolute, no empty, `.` or `..` name,
 * no trailing separator (POSIX paths only; elsewhere false, and callers use node:path).
 */
export function isNormalAbsolute(p: string): boolean {
  if (path.sep !== "/" || p.charCodeAt(0) !== SLASH) return false;
  return p.length === 1 || !hasOddName(p);
}

/*
 * A name that is empty, `.` or `..`, found by a regular expression rather than a loop over
 * the characters: a short run calls these a few hundred times, before V8 compiles them, and
 * the interpreter's loop took ~10 times the regular expression's time (100-link apply).
 */
/** After a separator. */
const ODD_NAME = /\/(?:\.\.?)?(?:\/|$)/;
/** At the start of a relative path too. */
const ODD_RELATIVE_NAME = /(?:^|\/)(?:\.\.?)?(?:\/|$)/;

/** Whether `p` holds a `/` followed by an empty, `.` or `..` name (`~/`, `~//a`, `~/a/../b`). */
export function hasOddName(p: string): boolean {
  return ODD_NAME.test(p);
}

/** Whether `p` is a relative path of plain names: not empty, no `/` first, no empty, `.` or `..` name. */
export function isPlainRelative(p: string): boolean {
  return p !== "" && p.charCodeAt(0) !== SLASH && !ODD_RELATIVE_NAME.test(p);
}

/**
 * `s`, flattened now: V8 keeps a concatenation as a pair of its parts until a character is
 * read. A path read only at the end of its phase (overlaps, the plan) outlived a collection
 * or two as the pair and its parts, each copied, and then got its flat copy anyway; flattened
 * while young, the pair dies at once. The character goes to `_lastRead`, so no compiler drops
 * the read.
 */
export function flat(s: string): string {
  _lastRead = s.charCodeAt(s.length - 1);
  return s;
}
let _lastRead = 0;

const SLASH = 0x2f;
