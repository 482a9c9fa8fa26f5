import type { EntryOptions, LinkKind } from "../manifest/manifest.js";
import type { EntryPlace } from "../resolve/desiredLink.js";
import type { SymlinkType } from "../fs/fileSystem.js";

/** What was found at a link path, without following it: the second of the three words. */
export type Found =
  | { type: "missing" }
  | { type: "file"; dev: bigint; ino: bigint; size: number; mtimeMs: number }
  | { type: "directory" }
  | { type: "symlink" | "junction"; linkTarget: string }
  | { type: "other" };

/** What a target is: missing, or a file, directory or something else with its identity and where its directory entry really is. */
export type TargetInfo =
  | { type: "missing" }
  | { type: "file" | "directory" | "other"; dev: bigint; ino: bigint; nlink: number; real: string };

/** Everything `decide` needs to know about the disk for one desired link. */
export interface Observation {
  found: Found;
  target: TargetInfo;
  /** Where the link would really be: the real path of its directory, plus its name. */
  linkReal: string;
  /** Whether the link's directory exists. */
  parentExists: boolean;
  /** The device of the link's nearest existing ancestor directory (for hard links). */
  parentDev: bigint;
  /** For a hard link: a file is at the link path with exactly the target's bytes. */
  sameBytes: boolean;
  /** A name beside the link where what is in the way can be moved, if it comes to that. */
  freeBackup: string;
}

/** An action's op: what linkman will do (or refuses to) at a link path. */
export type Op = "create" | "replace" | "remove" | "skip" | "conflict" | "error";

/** Why an action is a skip. */
export type SkipReason = "up-to-date" | "condition" | "missing-target" | "conflict";

/** Which row of the decision table decided an action. */
export type Rule =
  | "condition"
  | "cannot-look"
  | "outside-roots"
  | "windows-name"
  | "missing-target"
  | "hardlink-files-only"
  | "hardlink-same-volume"
  | "hardlink-too-many"
  | "junction-directories-only"
  | "link-is-target"
  | "target-inside-link"
  | "no-parent"
  | "nothing-there"
  | "desired-link"
  | "fallback-link"
  | "link-elsewhere"
  | "same-bytes"
  | "in-the-way"
  | "adopt"
  | "ours"
  | "changed-since"
  | "already-gone";

/** How a link will be made: the text a symlink stores (or the hard link's file) and the type. */
export interface LinkRecipe {
  /** For a symlink or junction: the text it stores; for a hard link: the target's path. */
  text: string;
  /** For a symlink or junction: its type on Windows. */
  type: SymlinkType | null;
}

/** One decision of the plan: the third of the three words. */
export interface Action {
  op: Op;
  /** The row of the decision table that decided it. */
  rule: Rule;
  kind: LinkKind;
  /** Absolute path of the link. */
  link: string;
  /** Absolute path of the target. */
  target: string;
  reason: SkipReason | null;
  /** Where what is in the way will be moved, for a replace that needs a backup. */
  backup: string | null;
  found: Found;
  /** Why, in words: the conflict, the error, or what a replace replaces. */
  message: string | null;
  /** What to do about a conflict or an error. */
  hint: string | null;
  /** How to make the link, for create and replace. */
  recipe: LinkRecipe | null;
  /** For a remove with `--restore`: what to put back once the link is gone. */
  restore: Restore | null;
  options: EntryOptions;
  /** Where the entry is written; null for a remove, whose entry is gone. */
  place: EntryPlace | null;
}

/** What `unlink --restore` puts back at a link path: a backup, or the link that was there before. */
export interface Restore {
  backup: string | null;
  previous: string | null;
}

/** How many actions of each op a plan holds. */
export type Summary = Record<Op, number>;

/** The plan: a plain value that the human view, `--json` and `--out` all come from. */
export interface Plan {
  version: 1;
  /** Absolute path of the manifest. */
  manifest: string;
  actions: Action[];
  summary: Summary;
}

/** Counts the actions of each op. */
export function summarize(actions: readonly Action[]): Summary {
  const summary: Summary = { create: 0, replace: 0, remove: 0, skip: 0, conflict: 0, error: 0 };
  for (const a of actions) summary[a.op]++;
  return summary;
}

/** Whether a plan holds anything that stops `apply` (a conflict or an error). */
export function isBlocked(plan: Plan): boolean {
  return plan.summary.conflict > 0 || plan.summary.error > 0;
}

/** What every action is about: the link, and what was found there. */
export type ActionSubject = Pick<
  Action,
  "kind" | "link" | "target" | "options" | "place" | "found"
>;

/** The details an action may add to its op and rule; everything else defaults to null. */
export type ActionDetails = Partial<
  Pick<Action, "reason" | "backup" | "message" | "hint" | "recipe" | "restore">
>;

/** Makes an action about `subject`, with the details given and null for the rest. */
export function makeAction(
  subject: ActionSubject,
  op: Op,
  rule: Rule,
  details: ActionDetails = {},
): Action {
  return {
    op,
    rule,
    reason: null,
    backup: null,
    message: null,
    hint: null,
    recipe: null,
    restore: null,
    ...subject,
    ...details,
  };
}

/** What was found at a path, in words: "nothing", "a file", "a symlink to …"; with `detail`, a file's size and time. */
export function describeFound(found: Found, options: { detail?: boolean } = {}): string {
  switch (found.type) {
    case "missing":
      return "nothing";
    case "symlink":
    case "junction":
      return `a ${found.type} to ${found.linkTarget}`;
    case "file":
      return options.detail
        ? `a file (${found.size} bytes, modified ${new Date(found.mtimeMs).toISOString()})`
        : "a file";
    case "directory":
      return "a directory";
    default:
      return "something that is not a file, directory or link";
  }
}
