import type { Found, Observation, TargetInfo } from "../../src/engine/action.js";
import type { DecideSettings } from "../../src/engine/decide.js";
import { DEFAULT_OPTIONS, type EntryOptions, type LinkKind } from "../../src/manifest/manifest.js";
import type { DesiredLink } from "../../src/resolve/desiredLink.js";

/*
 * The one world the decision tables' row-by-row tests are written in (POSIX paths): a home
 * /home/u, a repository /home/u/dots, and ~/.vimrc wanting /home/u/dots/vim/vimrc.
 */

/** The run's settings: home is the only root. */
export const settings: DecideSettings = {
  platform: "linux",
  roots: [{ path: "/home/u", real: "/home/u" }],
  force: false,
};

/** ~/.vimrc wanting the target, with the given kind and options (and any other field). */
export function want(
  kind: LinkKind = "symlink",
  options: Partial<EntryOptions> = {},
  extra: Partial<DesiredLink> = {},
): DesiredLink {
  return {
    link: "/home/u/.vimrc",
    target: "/home/u/dots/vim/vimrc",
    kind,
    options: { ...DEFAULT_OPTIONS, kind, ...options },
    targetType: "file",
    place: { file: "/home/u/dots/links.yaml", line: 3, column: 5, path: "links[0]" },
    ...extra,
  };
}

/** A target that exists. */
type Existing = Extract<TargetInfo, { dev: string }>;

/** The target as a file, or as a directory. */
export const fileTarget: Existing = {
  type: "file",
  dev: "1",
  ino: "100",
  nlink: 1,
  real: "/home/u/dots/vim/vimrc",
  resolved: "/home/u/dots/vim/vimrc",
};
export const directoryTarget: Existing = { ...fileTarget, type: "directory", ino: "101", nlink: 2 };

/** What was observed: `found` at ~/.vimrc, the target a file, unless `extra` says otherwise. */
export function seen(found: Found, extra: Partial<Observation> = {}): Observation {
  return {
    found,
    target: fileTarget,
    linkReal: "/home/u/.vimrc",
    parentExists: true,
    parentDev: "1",
    sameBytes: false,
    freeBackup: "/home/u/.vimrc.linkman-backup",
    ...extra,
  };
}

/** Nothing at a path; a symlink storing `text`. */
export const missing: Found = { type: "missing" };
export const symlinkTo = (text: string): Found => ({ type: "symlink", linkTarget: text });
