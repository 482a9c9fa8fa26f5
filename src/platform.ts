/**
 * Every decision that depends on the operating system, with the platform passed in (as
 * `process.platform` names it) rather than read deep inside the engine, so each can be
 * tested for every platform on any machine.
 */

/** Whether paths on this platform's usual filesystems compare without regard to case. */
export function caseInsensitive(platform: string): boolean {
  return platform === "win32" || platform === "darwin";
}

/**
 * A resolved path in the form used to compare it on a platform. Windows: no `\\?\` or `\??\`
 * prefix (readlink of a junction returns one, with a trailing `\` in Node 20), backslashes,
 * no trailing separator except at a drive's root, case folded. macOS: `/private/var`,
 * `/private/tmp` and `/private/etc` are `/var`, `/tmp` and `/etc` (realpath returns the
 * former), Unicode normalised (NFC), case folded. Elsewhere: the path without a trailing separator.
 */
export function pathKey(p: string, platform: string): string {
  let key = p;
  if (platform === "win32") {
    key = key
      .replace(/^(\\\\\?\\|\\\?\?\\)(UNC\\)?/i, (_m, _prefix, unc: string | undefined) =>
        unc ? "\\\\" : "",
      )
      .replace(/\//g, "\\");
    if (key.length > 3 && key.endsWith("\\")) key = key.slice(0, -1);
    return key.toLowerCase();
  }
  if (key.length > 1 && key.endsWith("/")) key = key.slice(0, -1);
  if (platform === "darwin") {
    // APFS finds a name whatever its Unicode normalisation (café typed or decomposed).
    key = key.replace(/^\/private(?=\/(var|tmp|etc)(\/|$))/, "").normalize("NFC");
  }
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
  const sep = platform === "win32" ? "\\" : "/";
  return i.startsWith(o.endsWith(sep) ? o : o + sep);
}

/**
 * Whether making a symlink needs a privilege on this platform, so that EPERM means it is
 * missing: Windows allows symlinks only with Developer Mode on or from an elevated shell
 * (junctions and hard links need neither).
 */
export function symlinksNeedPrivilege(platform: string): boolean {
  return platform === "win32";
}

/** What to do where `symlinksNeedPrivilege` and the privilege is missing. */
export const HOW_TO_ALLOW_SYMLINKS =
  "turn on Developer Mode (Settings → System → For developers) or run from an elevated shell";

/**
 * Why a path cannot be a link path on this platform, or undefined if it can. Windows
 * reserves device names (`CON`, `NUL`, `COM1`, … also with an extension, as `nul.txt`),
 * drops a trailing dot or space (so `vimrc.` would name `vimrc`), and does not allow
 * `< > : " | ? *` or control characters in a name. Elsewhere only `/` and NUL are special,
 * and paths holding NUL never get this far.
 */
export function nameProblem(p: string, platform: string): string | undefined {
  if (platform !== "win32") return undefined;
  const names = p
    .replace(/^(\\\\\?\\|\\\?\?\\)(UNC\\)?/i, "")
    .replace(/^([A-Za-z]:)?[\\/]+/, "")
    .split(/[\\/]+/)
    .filter((name) => name !== "" && name !== "." && name !== "..");
  for (const name of names) {
    const bad = [...name].find((ch) => ch < " " || '<>:"|?*'.includes(ch));
    if (bad) {
      const shown = bad < " " ? "a control character" : `"${bad}"`;
      return `the name "${name}" holds ${shown}, which Windows does not allow in a name`;
    }
    if (/[. ]$/.test(name)) {
      return `the name "${name}" ends in a ${name.endsWith(".") ? "dot" : "space"}, which Windows drops, so it would name another file`;
    }
    // ¹²³ escaped: the bin's bundle stays ASCII (esbuild.config.mjs says why).
    if (
      /^(con|prn|aux|nul|com[1-9\u00b9\u00b2\u00b3]|lpt[1-9\u00b9\u00b2\u00b3])(\..*)?$/i.test(name)
    ) {
      return `the name "${name}" is a device name on Windows, not a file name`;
    }
  }
  return undefined;
}

/** How many names (hard links) one file may have: NTFS allows 1023; elsewhere far more. */
export function maxHardLinks(platform: string): number {
  return platform === "win32" ? 1023 : 65_000;
}

/**
 * Whether a rename cannot replace what is at the destination on this platform: Windows
 * refuses to rename over a directory symlink or a junction (EPERM), where POSIX replaces any
 * link atomically.
 */
export function renameCannotReplace(platform: string, code: string | undefined): boolean {
  return (
    platform === "win32" &&
    (code === "EPERM" || code === "EACCES" || code === "EEXIST" || code === "EISDIR")
  );
}

/** Whether removing a link failed because the platform wants rmdir for it (a directory link on Windows). */
export function needsRmdirForLink(platform: string, code: string | undefined): boolean {
  return platform === "win32" && (code === "EPERM" || code === "EISDIR");
}

/**
 * What a link's stored text says, as readlink returns it: on Windows a junction (readlink
 * gives it with a `\\?\` or `\??\` prefix, or in Node 20 a trailing `\`), returned as a plain
 * absolute path; anything else a symlink, its text untouched.
 */
export function linkFromReadlink(
  text: string,
  platform: string,
): { type: "symlink" | "junction"; text: string } {
  if (platform !== "win32") return { type: "symlink", text };
  const prefixed = /^(\\\\\?\\|\\\?\?\\)/.test(text);
  const trailing = text.length > 3 && text.endsWith("\\");
  if (!prefixed && !trailing) return { type: "symlink", text };
  let plain = text.replace(/^(\\\\\?\\|\\\?\?\\)/, "");
  if (plain.length > 3 && plain.endsWith("\\")) plain = plain.slice(0, -1);
  return { type: "junction", text: plain };
}
