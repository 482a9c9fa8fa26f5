import path from "node:path";

/** A path as the user reads it: relative to the current directory (if given) when inside it, else with `~`. */
export function showPath(p: string, where: { homedir: string; cwd?: string | undefined }): string {
  const rel = where.cwd === undefined ? "" : path.relative(where.cwd, p);
  if (rel && !rel.startsWith("..") && !path.isAbsolute(rel)) return printable(rel);
  const home = where.homedir;
  return printable(p === home || p.startsWith(home + path.sep) ? `~${p.slice(home.length)}` : p);
}

/**
 * Text from a manifest or the disk, safe to print on one line: control characters (a
 * newline in a hostile link name could forge a plan line; escapes could redraw the screen)
 * are shown escaped, as JSON writes them.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => {
    const json = JSON.stringify(c).slice(1, -1);
    return json !== c ? json : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}
