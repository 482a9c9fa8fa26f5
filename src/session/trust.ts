import path from "node:path";
import { printable } from "../display.js";
import type { Root } from "../engine/roots.js";
import { pathKey } from "../platform.js";
import type { LinkRecord, State } from "../state/state.js";

/** A state split into what may be acted on and what fails its checks (kept in the file, never acted on). */
export interface TrustedState {
  /** The records and directories that pass: the only ones linkman acts on. */
  trusted: State;
  /** Records that fail, each kept as it is in the file. */
  untrusted: LinkRecord[];
  /** Directories that fail. */
  untrustedDirectories: string[];
  /** One sentence per record or directory that failed, for the user. */
  notices: string[];
}

/** The names a backup of `link` can have: `LINK.linkman-backup`, `LINK.linkman-backup-N`, and a wrapper's chained hook `LINK.linkman-chained`. */
function isBackupName(backup: string, link: string): boolean {
  if (path.dirname(backup) !== path.dirname(link)) return false;
  const rest = path.basename(backup).slice(path.basename(link).length);
  return (
    path.basename(backup).startsWith(path.basename(link)) &&
    /^\.linkman-(backup(-[1-9][0-9]{0,5})?|chained)$/.test(rest)
  );
}

/**
 * Whether a path lies strictly inside one of the directories (as `isInside`), with the
 * directories' keys made once: the state is checked record by record, 10,000 of them.
 */
function insideAnyOf(dirs: readonly string[], platform: string): (p: string) => boolean {
  const sep = platform === "win32" ? "\\" : "/";
  const prefixes = dirs.map((d) => {
    const key = pathKey(d, platform);
    return key.endsWith(sep) ? key : key + sep;
  });
  return (p) => {
    const key = pathKey(p, platform);
    // An indexed loop, not `some` with a closure nor an iterator: this runs twice for each of
    // 10,000 records, and each iterator was an object made and dropped.
    for (let i = 0; i < prefixes.length; i++) if (key.startsWith(prefixes[i]!)) return true;
    return false;
  };
}

/** Why a record may not be acted on, or undefined when it may. */
function recordProblem(record: LinkRecord, inRoots: (link: string) => boolean) {
  if (!path.isAbsolute(record.link) || !path.isAbsolute(record.target))
    return "its paths are not absolute";
  if (!inRoots(record.link))
    return "its link is outside your home and the manifest's directory (pass --allow-outside if linkman made it there)";
  if (record.backup !== null && !isBackupName(record.backup, record.link))
    return `its backup ${printable(record.backup)} is not a backup name beside the link`;
  if (record.kind === "hardlink" ? record.text !== null : record.text === null)
    return "its kind and link text do not agree";
  return undefined;
}

/**
 * SPEC rule 9: a state read back is untrusted input. Every record's link must lie in the
 * roots and its backup must be a backup name beside it; every recorded directory must lie
 * in the roots. What fails is reported and never acted on (no removal, no restore, no tidy).
 */
export function trustState(state: State, roots: readonly Root[], platform: string): TrustedState {
  // The records' own array while every record passes (as usual): no copy of 10,000 of them.
  let trusted = state.links;
  const untrusted: LinkRecord[] = [];
  const notices: string[] = [];
  // Inside a root as written, as the links linkman makes are recorded. Not also inside a
  // root's real path as written: in a home reached through a symlink (/home leading to
  // /usr/home) no record would pass. Where a link really leads is checked before each write.
  const written = insideAnyOf(
    roots.map((r) => r.path),
    platform,
  );
  for (let i = 0; i < state.links.length; i++) {
    const record = state.links[i]!;
    const problem = recordProblem(record, written);
    if (problem) {
      if (trusted === state.links) trusted = state.links.slice(0, i);
      untrusted.push(record);
      // The file is untrusted: a control character in a name must not reach the terminal.
      notices.push(`the state's record of ${printable(record.link)} is ignored: ${problem}`);
    } else if (trusted !== state.links) trusted.push(record);
  }
  const inside = written;
  const untrustedDirectories = state.directories.filter((d) => !inside(d));
  for (const dir of untrustedDirectories) {
    notices.push(
      `the state's directory ${printable(dir)} is ignored: it is outside your home and the manifest's directory`,
    );
  }
  return {
    trusted: { ...state, links: trusted, directories: state.directories.filter(inside) },
    untrusted,
    untrustedDirectories,
    notices,
  };
}

/** The state to write: what became of the trusted part, with the untrusted part kept as it was. */
export function withUntrusted(state: State, split: TrustedState): State {
  return {
    ...state,
    // Usually nothing is untrusted and the records are sorted: the same array is written, so
    // the final save reuses the bytes the pending save encoded for it.
    links:
      split.untrusted.length === 0 && sortedByLink(state.links)
        ? state.links
        : [...state.links, ...split.untrusted].sort((a, b) =>
            a.link < b.link ? -1 : a.link > b.link ? 1 : 0,
          ),
    directories: [...new Set([...state.directories, ...split.untrustedDirectories])].sort(),
  };
}

/** Whether the records are in the order linkman writes them (by link, each once). */
function sortedByLink(links: readonly LinkRecord[]): boolean {
  for (let i = 1; i < links.length; i++) if (!(links[i - 1]!.link < links[i]!.link)) return false;
  return true;
}
