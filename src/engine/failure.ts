import { errorCode } from "../fs/fileSystem.js";
import { HOW_TO_ALLOW_SYMLINKS, symlinksNeedPrivilege } from "../platform.js";
import type { Action } from "./action.js";

const MEANINGS: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOSPC: "no space left on the device",
  EEXIST: "something else was created there in the meantime",
  EXDEV: "the paths are on different devices",
  ENOENT: "a directory on the way does not exist (any more)",
  ENOTDIR: "a path on the way is not a directory",
  EROFS: "the filesystem is read-only",
  EMLINK: "too many links",
  EBUSY: "the path is in use",
  ENAMETOOLONG: "the name is too long",
};

/** A failed operation in words: the path and the cause, and what to do on Windows without the symlink privilege. */
export function describeFailure(
  error: unknown,
  action: Action,
  platform: string,
): { error: string; hint: string | null } {
  const code = errorCode(error);
  // For symlink, link and rename, Node puts the path being made in `dest` and the other
  // one (the link's text, the existing file) in `path`: the one being made is the one to name.
  const { path: from, dest } = error as { path?: unknown; dest?: unknown };
  const path = typeof dest === "string" ? dest : typeof from === "string" ? from : action.link;
  const cause = code
    ? `${MEANINGS[code] ?? "failed"} (${code})`
    : error instanceof Error
      ? error.message
      : String(error);
  const privileged = symlinksNeedPrivilege(platform) && action.kind === "symlink";
  // A symlink entry fails with a hard link's error only where fallback: auto tried one.
  const fallbackFailed =
    action.kind === "symlink" &&
    "options" in action &&
    action.options?.fallback === "auto" &&
    (code === "EXDEV" || code === "EMLINK");
  const orAllow = privileged ? `, or ${HOW_TO_ALLOW_SYMLINKS}` : "";
  return {
    error: fallbackFailed
      ? `${path}: symlinks are refused here, and the hard link that fallback: auto makes instead failed too: ${cause}`
      : `${path}: ${cause}`,
    hint: fallbackFailed
      ? code === "EXDEV"
        ? `a hard link cannot reach a target on another volume: keep the repository on the link's volume${orAllow}`
        : `the target has as many names as its filesystem allows${orAllow}`
      : privileged && code === "EPERM"
        ? `Windows makes symlinks only with the privilege: ${HOW_TO_ALLOW_SYMLINKS}; or set \`fallback: auto\` to make a junction (directories) or a hard link (files) instead`
        : code === "EEXIST" || code === "ENOENT"
          ? "the disk changed while linkman ran; run `linkman apply` again"
          : null,
  };
}
