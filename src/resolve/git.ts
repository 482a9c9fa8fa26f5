import path from "node:path";
import type { FileSystem } from "../fs/fileSystem.js";
import { lstatIfExists, readTextFile } from "../fs/fileSystem.js";

/**
 * A git repository as git itself finds it, read from the files (git is never run): the
 * working tree's top, the git directory of this working tree (`.git`, or what a `.git` file's
 * `gitdir:` names, for a worktree or a submodule) and the common directory all worktrees
 * share (`commondir`), where hooks, config and refs live.
 */
export interface Repository {
  top: string;
  gitDir: string;
  commonDir: string;
}

/** The most bytes read of a `.git` file, a `commondir` or a git config: they are small. */
const MAX_GIT_FILE = 64 * 1024;

/**
 * Names under the git directory that git keeps in the common directory (git's `common_list`
 * in path.c, with the per-worktree exceptions below it).
 */
const COMMON = [
  "branches",
  "common",
  "config",
  "hooks",
  "info",
  "logs",
  "lost-found",
  "objects",
  "packed-refs",
  "refs",
  "remotes",
  "rr-cache",
  "shallow",
  "worktrees",
];
const PER_WORKTREE = [
  "info/sparse-checkout",
  "logs/HEAD",
  "logs/refs/bisect",
  "refs/bisect",
].concat(["refs/worktree", "refs/rewritten"]);

/**
 * The repository whose working tree holds `dir`, searched upward as git searches (a `.git`
 * directory, or a `.git` file naming the git directory); undefined when there is none. A git
 * directory must look like one (a `HEAD` file, `objects` and `refs` in the common directory),
 * as git checks, so a stray `.git` file cannot point linkman's links anywhere it likes.
 */
export async function findRepository(fs: FileSystem, dir: string): Promise<Repository | undefined> {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const repo = await repositoryAt(fs, d).catch(() => undefined);
    if (repo) return repo === "invalid" ? undefined : repo;
    if (path.dirname(d) === d) return undefined;
  }
}

/**
 * The repository whose `.git` is in `top`; undefined to search on upward (no `.git`, or a
 * `.git` directory that is not a git directory, as git searches on), "invalid" for a `.git`
 * file that names no git directory (git stops there with an error; linkman must not go on to
 * an enclosing repository and link into it).
 */
async function repositoryAt(
  fs: FileSystem,
  top: string,
): Promise<Repository | "invalid" | undefined> {
  const dotGit = path.join(top, ".git");
  const stat = await lstatIfExists(fs, dotGit);
  if (!stat) return undefined;
  let gitDir = dotGit;
  if (stat.type === "file") {
    const text = await readTextFile(fs, dotGit, MAX_GIT_FILE).catch(() => "");
    const named = /^gitdir: *(.+?)\s*$/m.exec(text);
    if (!named?.[1]) return "invalid";
    gitDir = path.resolve(top, named[1]);
    const repo = await gitDirectory(fs, top, gitDir).catch(() => undefined);
    return repo ?? "invalid";
  }
  return stat.type === "directory" ? gitDirectory(fs, top, gitDir) : undefined;
}

/** The repository whose git directory `gitDir` is, if it looks like one. */
async function gitDirectory(
  fs: FileSystem,
  top: string,
  gitDir: string,
): Promise<Repository | undefined> {
  gitDir = await fs.realpath(gitDir);
  let commonDir = gitDir;
  const common = await readTextFile(fs, path.join(gitDir, "commondir"), MAX_GIT_FILE).catch(
    () => undefined,
  );
  if (common?.trim()) commonDir = await fs.realpath(path.resolve(gitDir, common.trim()));
  const looksLikeGit =
    (await lstatIfExists(fs, path.join(gitDir, "HEAD")))?.type === "file" &&
    (await lstatIfExists(fs, path.join(commonDir, "objects")))?.type === "directory" &&
    (await lstatIfExists(fs, path.join(commonDir, "refs")))?.type === "directory";
  return looksLikeGit ? { top, gitDir, commonDir } : undefined;
}

/** Where `git rev-parse --git-path NAME` puts a path below the git directory (`hooks/pre-commit`). */
export function gitPath(repo: Repository, name: string): string {
  const parts = name.split(/[/\\]+/).filter(Boolean);
  const rel = parts.join("/");
  const perWorktree = PER_WORKTREE.some((p) => rel === p || rel.startsWith(`${p}/`));
  const inCommon = !perWorktree && parts[0] !== undefined && COMMON.includes(parts[0]);
  return path.join(inCommon ? repo.commonDir : repo.gitDir, ...parts);
}

/** A link path split at its first `.git` segment: the directory holding `.git`, and the rest. */
export function splitAtGit(link: string): { holder: string; rest: string } | undefined {
  const parts = link.split(/[/\\]/);
  const at = parts.indexOf(".git");
  if (at <= 0) return undefined;
  return {
    holder: parts.slice(0, at).join(path.sep) || path.sep,
    rest: parts.slice(at + 1).join("/"),
  };
}

/** Where `core.hooksPath` was set, and to what: git then never runs the hooks in `hooks/`. */
export interface HooksPath {
  value: string;
  file: string;
}

/**
 * `core.hooksPath` as git would see it for this repository, read from the config files
 * (system unless GIT_CONFIG_NOSYSTEM, global or GIT_CONFIG_GLOBAL, XDG, the repository's,
 * a worktree's `config.worktree`), the last one setting it winning. `include` and
 * `includeIf` are not followed: a setting only they bring in is not seen.
 */
export async function hooksPathOf(
  fs: FileSystem,
  repo: Repository,
  env: Readonly<Record<string, string | undefined>>,
  homedir: string,
): Promise<HooksPath | undefined> {
  const xdg =
    env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME)
      ? env.XDG_CONFIG_HOME
      : path.join(homedir, ".config");
  const files = [
    ...(env.GIT_CONFIG_NOSYSTEM ? [] : [env.GIT_CONFIG_SYSTEM ?? "/etc/gitconfig"]),
    ...(env.GIT_CONFIG_GLOBAL !== undefined
      ? [env.GIT_CONFIG_GLOBAL]
      : [path.join(xdg, "git", "config"), path.join(homedir, ".gitconfig")]),
    path.join(repo.commonDir, "config"),
    path.join(repo.gitDir, "config.worktree"),
  ];
  let found: HooksPath | undefined;
  for (const file of files) {
    if (!file || file === "/dev/null") continue;
    const text = await readTextFile(fs, file, MAX_GIT_FILE).catch(() => undefined);
    const value = text === undefined ? undefined : configValue(text, "core", "hookspath");
    if (value === null) found = undefined;
    else if (value !== undefined) found = { value, file };
  }
  return found;
}

/**
 * The last value of `section.key` in a git config file's text (names compared without
 * case, as git does); null when it is set empty (git's way to unset it); undefined if absent.
 */
export function configValue(text: string, section: string, key: string): string | null | undefined {
  let current = "";
  let value: string | null | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const header = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"[^"]*")?\s*\]\s*(.*)$/.exec(line);
    let rest = line;
    if (header) {
      current = header[1]!.toLowerCase();
      rest = header[2] ?? "";
    }
    if (current !== section) continue;
    const pair = /^([A-Za-z][A-Za-z0-9-]*)\s*(?:=\s*(.*))?$/.exec(rest);
    if (!pair || pair[1]!.toLowerCase() !== key) continue;
    const v = unquote(pair[2] ?? "");
    value = v === "" ? null : v;
  }
  return value;
}

/** A config value without its comment and quotes (enough for a path). */
function unquote(raw: string): string {
  let out = "";
  let quoted = false;
  for (const ch of raw) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === "#" || ch === ";")) break;
    else out += ch;
  }
  return out.trim();
}

/**
 * Why the hooks the manifest links into a repository's `hooks` directory will never run
 * (`core.hooksPath` points git elsewhere) and how to fix it, or undefined when they will run
 * or none is linked there.
 */
export async function hooksNotRun(
  fs: FileSystem,
  links: readonly { link: string; skipped?: unknown }[],
  manifest: string,
  env: Readonly<Record<string, string | undefined>>,
  homedir: string,
): Promise<{ message: string; fix: string } | undefined> {
  const repo = await findRepository(fs, path.dirname(manifest));
  if (!repo) return undefined;
  const hooks = path.join(repo.commonDir, "hooks");
  const linked = links.filter((l) => !l.skipped && path.dirname(l.link) === hooks).length;
  if (linked === 0) return undefined;
  const set = await hooksPathOf(fs, repo, env, homedir);
  if (!set) return undefined;
  const value = set.value.startsWith("~/") ? path.join(homedir, set.value.slice(2)) : set.value;
  if (path.resolve(repo.top, value) === hooks) return undefined;
  const scope =
    set.file === path.join(repo.commonDir, "config")
      ? ""
      : set.file === path.join(repo.gitDir, "config.worktree")
        ? " --worktree"
        : set.file === (env.GIT_CONFIG_SYSTEM ?? "/etc/gitconfig")
          ? " --system"
          : " --global";
  return {
    message: `core.hooksPath is set to ${set.value} (in ${set.file}), so git runs the hooks there and never the ${linked === 1 ? "hook" : `${linked} hooks`} linked into ${hooks}`,
    fix: `to run them, unset it: git config${scope} --unset core.hooksPath`,
  };
}

/** `hooksNotRun`'s answer as one notice. */
export const hooksNotice = (h: { message: string; fix: string } | undefined) =>
  h ? [`${h.message}; ${h.fix}`] : [];
