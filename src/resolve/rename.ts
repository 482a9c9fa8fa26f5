import type { Rename } from "../manifest/manifest.js";

/**
 * Stow's `--dotfiles` rule for one path segment (Stow 2.4): `dot-X` becomes `.X` when X is
 * not empty and does not start with a dot, so `dot-` and `dot-.bar` stay as they are.
 */
export function dotPrefixedSegment(name: string): string {
  return /^dot-[^.]/.test(name) ? `.${name.slice(4)}` : name;
}

/** Stow's `--dotfiles` rule applied to every segment of a `/`-separated path. */
export function dotPrefixed(relative: string): string {
  return relative.split("/").map(dotPrefixedSegment).join("/");
}

/**
 * A glob match's path below the static part, renamed as the entry says: Stow's `dot-` rule
 * on every segment, then dotbot's `prefix` on the first (the name in the link directory).
 * Undefined when the result would leave the link directory (an empty, `.` or `..` segment).
 */
export function renameMatch(relative: string, rename: Rename): string | undefined {
  let parts = relative.split("/");
  if (rename.dotPrefix) parts = parts.map(dotPrefixedSegment);
  if (rename.prefix) parts[0] = rename.prefix + parts[0];
  if (parts.some((p) => p === "" || p === "." || p === "..")) return undefined;
  return parts.join("/");
}
