import path from "node:path";

/** Whether paths on this platform's usual filesystems compare without regard to case. */
export function caseInsensitive(platform: string): boolean {
  return platform === "win32" || platform === "darwin";
}

/**
 * A resolved path (from path.resolve, join or realpath: already normalised) in the form used
 * to compare it: no trailing separator, case folded where the platform does.
 */
export function pathKey(p: string, platform: string): string {
  let key = p;
  if (key.length > 1 && /[/\\]$/.test(key) && !/^[A-Za-z]:[/\\]$/.test(key)) key = key.slice(0, -1);
  return caseInsensitive(platform) ? key.toLowerCase() : key;
}

/** Whether two paths name the same place on this platform. */
export function samePath(a: string, b: string, platform: string): boolean {
  return pathKey(a, platform) === pathKey(b, platform);
}

/** Whether `inner` lies strictly inside the directory `outer`. */
export function isInside(inner: string, outer: string, platform: string): boolean {
  const i = pathKey(inner, platform);
  const o = pathKey(outer, platform);
  const prefix = o.endsWith(path.sep) ? o : o + path.sep;
  return i.startsWith(prefix);
}
