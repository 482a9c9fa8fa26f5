import path from "node:path";

/** A segment `.` or `..`, two slashes in a row, or a trailing slash: what `path.resolve` rewrites. */
const NOT_NORMAL = /\/\/|(?:^|\/)\.\.?(?:\/|$)|.\/$/;

/**
 * `path.resolve(dir, p)`, without its copying and normalising where there is nothing to
 * normalise: on POSIX, for an absolute `dir` and a `p` with no `.` or `..` segment, no double
 * or trailing slash, the answer is `p` itself (absolute) or `dir` and `p` joined. Most link and
 * target texts are such, and a 10,000-entry manifest resolves two of them per entry.
 */
export function resolvePath(dir: string, p: string): string {
  if (
    path.sep !== "/" ||
    p.length === 0 ||
    dir.charCodeAt(0) !== 47 ||
    NOT_NORMAL.test(p) ||
    NOT_NORMAL.test(dir)
  ) {
    return path.resolve(dir, p);
  }
  if (p.charCodeAt(0) === 47) return p;
  return dir.length === 1 ? dir + p : `${dir}/${p}`;
}
