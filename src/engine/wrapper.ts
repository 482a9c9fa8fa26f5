import { createHash } from "node:crypto";
import path from "node:path";
import type { FileSystem } from "../fs/fileSystem.js";

/** The line every wrapper linkman writes carries, for the people who open the hook. */
export const WRAPPER_MARKER = "# linkman wrapper: do not edit";

/** The most linkman reads of a file at a wrapper's path: a hook bigger than this is never its own. */
export const MAX_WRAPPER_BYTES = 64 * 1024;

/** The name a chained hook (the teammate's own, kept and run first) has beside the wrapper. */
export function chainedName(link: string): string {
  return `${link}.linkman-chained`;
}

/** Whether a path is the chained-hook name beside a link. */
export function isChainedName(candidate: string, link: string): boolean {
  return candidate === chainedName(link);
}

/** The hooks git gives a list on stdin and then closes it (githooks(5)). */
const LIST_ON_STDIN = new Set([
  "pre-push",
  "pre-receive",
  "post-receive",
  "post-rewrite",
  "reference-transaction",
]);

/** A word the shell reads as exactly this text. */
const quoted = (text: string) => `'${text.replace(/'/g, "'\\''")}'`;

/**
 * The script linkman writes at a wrapper's link path. It names the target by its path
 * relative to the wrapper's real directory (so a moved clone keeps working, and `git pull`
 * writing a new file there is simply run), never by inode. A missing target is skipped
 * silently, as husky does (a branch without that hook); one that is not executable says so
 * on stderr, as git itself does, and is not run. With `chain`, the hook kept at
 * `NAME.linkman-chained` runs first and a failure stops the hook there; both are given git's stdin. A target in the
 * working tree is named by `fromWorkTree`, its path from the top of the working tree, where
 * git runs hooks: the hooks directory is shared by all worktrees, so each runs its own
 * checkout's hook and every worktree writes the same wrapper.
 */
export function wrapperScript(
  linkReal: string,
  targetReal: string,
  chain: boolean,
  fromWorkTree?: string,
): string {
  let relative = path.relative(path.dirname(linkReal), targetReal);
  // Another drive on Windows has no relative path: the absolute one, which sh reads as well.
  if (path.isAbsolute(relative)) relative = targetReal;
  const slashed = (p: string) => p.split(path.sep).join("/");
  // git runs a hook in the top of the working tree; `./` keeps `exec` from searching PATH.
  const hook = fromWorkTree
    ? quoted(`./${slashed(fromWorkTree)}`)
    : `"$dir"/${quoted(slashed(relative))}`;
  // ${0%/*} rather than $(dirname "$0"): no process forked (git always runs a hook by a path with a /).
  const lines = ["#!/bin/sh", WRAPPER_MARKER, 'dir="${0%/*}"'];
  if (chain) {
    const kept = `"$dir"/${quoted(path.basename(chainedName(linkReal)))}`;
    // The hooks git writes a list to and then closes (pre-push's refs, post-rewrite's commits):
    // read once, exactly (the `.` keeps trailing newlines), and given to both; never from a
    // terminal. A hook that stops reading early is no error (printf's "I/O error" where
    // SIGPIPE is ignored is dropped). Any other hook's stdin is left alone: proc-receive talks
    // with git, which waits for its answers before it closes stdin, and a tool running a hook
    // may pass on a pipe that never closes.
    if (LIST_ON_STDIN.has(path.basename(linkReal)))
      lines.push(
        `if [ -f ${kept} ] && [ ! -t 0 ]; then`,
        `  input="$(cat; echo .)"; input="\${input%.}"`,
        `  printf '%s' "$input" 2>/dev/null | ${kept} "$@" || exit $?`,
        `  if [ -x ${hook} ]; then printf '%s' "$input" 2>/dev/null | ${hook} "$@"; exit $?; fi`,
        `elif [ -f ${kept} ]; then ${kept} "$@" || exit $?; fi`,
      );
    else lines.push(`if [ -f ${kept} ]; then ${kept} "$@" || exit $?; fi`);
  }
  lines.push(
    `if [ -x ${hook} ]; then exec ${hook} "$@"; fi`,
    `if [ -e ${hook} ]; then echo "linkman: "${hook}" is not executable, so it was not run" >&2; fi`,
    "exit 0",
    "",
  );
  return lines.join("\n");
}

/** The SHA-256 of a file's bytes, in hex: how a wrapper's bytes are compared and recorded. */
export function digestOf(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** What the state records of a wrapper: its digest, so a record can be brought up to date from the disk alone. */
export function wrapperRecordText(digest: string): string {
  return `sha256:${digest}`;
}

/**
 * The digest of the file at a path, or undefined unless it is a regular file of a wrapper's
 * size that begins as linkman's wrappers do: a state record (untrusted, SPEC rule 9) holding
 * the digest of someone's own hook never makes that hook linkman's to rewrite or remove.
 */
export async function fileDigest(fs: FileSystem, file: string): Promise<string | undefined> {
  try {
    const bytes = await fs.readFile(file, MAX_WRAPPER_BYTES);
    return looksLikeWrapper(new TextDecoder().decode(bytes)) ? digestOf(bytes) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a file's text is one linkman wrote as a wrapper (its first two lines). */
export function looksLikeWrapper(text: string): boolean {
  return text.startsWith(`#!/bin/sh\n${WRAPPER_MARKER}\n`);
}
