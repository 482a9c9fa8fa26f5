import path from "node:path";
import { isNormalAbsolute } from "./paths.js";

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A path as the user reads it: relative to the current directory (if given) when inside it, else with `~`. */
export function showPath(p: string, where: { homedir: string; cwd?: string | undefined }): string {
  return pathShower(where)(p);
}

/**
 * `showPath` for one place, what depends only on the place worked out once: a report of
 * 10,000 links shows 20,000 paths, and each built the same two prefixes again.
 */
export function pathShower(where: {
  homedir: string;
  cwd?: string | undefined;
}): (p: string) => string {
  const { cwd, homedir: home } = where;
  const normalCwd = cwd !== undefined && isNormalAbsolute(cwd);
  const prefix = cwd === undefined || cwd.length === 1 ? cwd : `${cwd}/`;
  const homePrefix = home + path.sep;
  return (p) => {
    const rel = cwd === undefined ? undefined : below(cwd, p, normalCwd, prefix as string);
    if (rel !== undefined) return printable(rel);
    return printable(p === home || p.startsWith(homePrefix) ? `~${p.slice(home.length)}` : p);
  };
}

/**
 * `p` relative to `dir` where it lies below it (and does not start with `..`), else undefined.
 * Without `path.relative` where both are absolute and normal (`prefix` is `dir` with its
 * separator): it resolves both paths first, and a plan shows two paths a line (100 lines:
 * ~5 ms of a fresh apply's profile).
 */
function below(dir: string, p: string, normalDir: boolean, prefix: string): string | undefined {
  let rel: string;
  if (normalDir && isNormalAbsolute(p)) {
    rel = p.startsWith(prefix) ? p.slice(prefix.length) : "";
  } else {
    rel = path.relative(dir, p);
    if (path.isAbsolute(rel)) return undefined;
  }
  return rel && !rel.startsWith("..") ? rel : undefined;
}

/**
 * Text from a manifest or the disk, safe to print on one line: control characters (a
 * newline in a hostile link name could forge a plan line; escapes could redraw the screen)
 * are shown escaped, as JSON writes them.
 */
export function printable(text: string): string {
  // Tested first with one expression made once: nearly every text has nothing to escape, and
  // a replace made a new expression and its result per call (20,000 in a report).
  if (!CONTROL.test(text)) return text;
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => {
    const json = JSON.stringify(c).slice(1, -1);
    return json !== c ? json : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}
