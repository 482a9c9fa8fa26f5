import * as z from "zod";
import { lazy } from "../lazy.js";
import type { SymlinkType } from "../fs/fileSystem.js";

/*
 * The plan's values, defined once as zod schemas: the TypeScript types are inferred from
 * them, `apply PLANFILE` reads a saved plan with them, and `schemas/` publishes them as
 * JSON Schemas. Every value serialises with JSON.stringify (devices and inodes are decimal
 * strings), and the JSON the CLI prints is exactly that value.
 */

const kind = lazy(() => z.enum(["symlink", "hardlink", "junction", "wrapper"]));

/** A file's identity: its device and inode, as decimal strings (exact, and JSON-safe). */
const identity = lazy(() => ({ dev: z.string(), ino: z.string() }));

/** What was found at a link path, without following it: the second of the three words. */
export const foundSchema = lazy(() =>
  z.discriminatedUnion("type", [
    z.object({ type: z.literal("missing") }),
    z.object({
      type: z.literal("file"),
      ...identity,
      size: z.number(),
      mtimeMs: z.number(),
      /** For a wrapper's path: the SHA-256 of the file's bytes (absent when too big to be one). */
      digest: z.string().optional(),
    }),
    z.object({ type: z.literal("directory") }),
    z.object({ type: z.enum(["symlink", "junction"]), linkTarget: z.string() }),
    z.object({ type: z.literal("other") }),
  ]),
);
/** What was found at a link path. */
export type Found = z.infer<typeof foundSchema>;

/** The rows of the decision table for a desired link (SPEC.md), each an id. */
export const linkRuleSchema = lazy(() =>
  z.enum([
    "condition",
    "no-match",
    "cannot-look",
    "outside-roots",
    "windows-name",
    "missing-target",
    "hardlink-files-only",
    "hardlink-same-volume",
    "hardlink-too-many",
    "junction-directories-only",
    "wrapper-files-only",
    "chain-wrappers-only",
    "chained-taken",
    "link-is-target",
    "target-inside-link",
    "no-parent",
    "not-a-directory",
    "nothing-there",
    "desired-link",
    "fallback-link",
    "link-elsewhere",
    "same-bytes",
    "second-name",
    "own-drift",
    "own-wrapper",
    "chain",
    "in-the-way",
    "linkman-state",
    "take-over",
    "folded",
  ]),
);
/** Which row of the link decision table decided an action. */
export type LinkRule = z.infer<typeof linkRuleSchema>;

/** The rows of the adoption table: what `adopt` does at a link path. */
export const adoptRuleSchema = lazy(() =>
  z.enum(["adopt", "nothing-to-adopt", "target-exists", "adopt-outside", "adopt-kind"]),
);
/** Which row of the adoption table decided an action. */
export type AdoptRule = z.infer<typeof adoptRuleSchema>;

/** The rows of the removal table: whether a link linkman recorded may be removed. */
export const removalRuleSchema = lazy(() =>
  z.enum(["ours", "changed-since", "already-gone", "last-name", "stale", "dead-link"]),
);
/** Which row of the removal table decided an action. */
export type RemovalRule = z.infer<typeof removalRuleSchema>;

/** The rows of the directory table: what is at a path the manifest's `directories` lists. */
export const directoryRuleSchema = lazy(() =>
  z.enum(["directory-missing", "directory-there", "directory-in-the-way"]),
);
/** Which row of the directory table decided an action. */
export type DirectoryRule = z.infer<typeof directoryRuleSchema>;

/** Which row of any decision table decided an action. */
export type Rule = LinkRule | AdoptRule | RemovalRule | DirectoryRule;

const ruleSchema = lazy(() =>
  z.union([linkRuleSchema, adoptRuleSchema, removalRuleSchema, directoryRuleSchema]),
);

/** Why an action is a skip. */
export const skipReasonSchema = lazy(() =>
  z.enum(["up-to-date", "condition", "no-match", "missing-target", "conflict", "stale"]),
);
/** Why an action is a skip. */
export type SkipReason = z.infer<typeof skipReasonSchema>;

/** An entry's options with every value decided. */
export const entryOptionsSchema = lazy(() =>
  z.object({
    kind,
    relative: z.boolean(),
    mkdirs: z.boolean(),
    onConflict: z.enum(["fail", "skip", "backup", "chain"]),
    ifMissing: z.enum(["error", "skip", "link"]),
    fallback: z.enum(["none", "auto"]),
  }),
);

/** Where an entry is written. */
export const entryPlaceSchema = lazy(() =>
  z.object({
    file: z.string(),
    line: z.number(),
    column: z.number(),
    path: z.string(),
    lineText: z.string().optional(),
    length: z.number().optional(),
  }),
);

/** How a link will be made: the text a symlink stores (or the hard link's file) and its type on Windows. */
export const recipeSchema = lazy(() =>
  z.object({
    text: z.string(),
    type: z.enum(["file", "dir", "junction"]).nullable(),
  }),
);
/** How a link will be made. */
export type LinkRecipe = { text: string; type: SymlinkType | null };

/** What `unlink --restore` (or prune) puts back at a link path: a backup, or the link that was there before. */
export const restoreSchema = lazy(() =>
  z.object({
    backup: z.string().nullable(),
    previous: z.string().nullable(),
  }),
);
/** What a remove puts back once the link is gone. */
export type Restore = z.infer<typeof restoreSchema>;

/** What every action says: the link, its target and kind, what was found, and why in words. */
const subject = lazy(() => ({
  kind,
  /** Absolute path of the link. */
  link: z.string(),
  /** Absolute path of the target. */
  target: z.string(),
  found: foundSchema,
  /** Why, in words: the conflict, the error, or what a replace replaces. */
  message: z.string().nullable(),
  /** What to do about a conflict or an error. */
  hint: z.string().nullable(),
}));

/** What an action from a manifest entry carries: the entry's options and where it is written. */
const fromEntry = lazy(() => ({ options: entryOptionsSchema, place: entryPlaceSchema }));

const createSchema = lazy(() =>
  z.object({
    op: z.literal("create"),
    rule: linkRuleSchema,
    ...subject,
    ...fromEntry,
    reason: z.null(),
    backup: z.null(),
    recipe: recipeSchema,
  }),
);

const replaceSchema = lazy(() =>
  z.object({
    op: z.literal("replace"),
    rule: linkRuleSchema,
    ...subject,
    ...fromEntry,
    reason: z.null(),
    /** Where what is in the way is moved (null: a link, which is replaced, never kept). */
    backup: z.string().nullable(),
    recipe: recipeSchema,
  }),
);

const adoptSchema = lazy(() =>
  z.object({
    op: z.literal("adopt"),
    rule: z.literal("adopt"),
    ...subject,
    ...fromEntry,
    reason: z.null(),
    backup: z.null(),
    recipe: recipeSchema,
  }),
);

/** A directory link into the repository above link paths (Stow folding) becomes a real directory. */
const unfoldSchema = lazy(() =>
  z.object({
    op: z.literal("unfold"),
    rule: z.literal("folded"),
    ...subject,
    options: z.null(),
    place: z.null(),
    reason: z.null(),
    backup: z.null(),
  }),
);

/** Makes a directory of the manifest's `directories` (and its missing parents). */
const mkdirSchema = lazy(() =>
  z.object({
    op: z.literal("mkdir"),
    rule: z.literal("directory-missing"),
    ...subject,
    kind: z.literal("directory"),
    options: z.null(),
    place: entryPlaceSchema,
    reason: z.null(),
    backup: z.null(),
  }),
);

const removeSchema = lazy(() =>
  z.object({
    op: z.literal("remove"),
    rule: z.enum(["ours", "dead-link"]),
    ...subject,
    reason: z.null(),
    /** The backup put back once the link is gone, if any. */
    backup: z.string().nullable(),
    restore: restoreSchema.nullable(),
  }),
);

/** The kind of an action that may be about a directory of `directories` (link and target are then its path). */
const anyKind = lazy(() => z.enum([...kind.options, "directory"]));

const skipSchema = lazy(() =>
  z.object({
    op: z.literal("skip"),
    rule: ruleSchema,
    ...subject,
    kind: anyKind,
    options: entryOptionsSchema.nullable(),
    place: entryPlaceSchema.nullable(),
    reason: skipReasonSchema,
    backup: z.string().nullable(),
  }),
);

const problemFields = lazy(() => ({
  ...subject,
  kind: anyKind,
  options: entryOptionsSchema.nullable(),
  place: entryPlaceSchema.nullable(),
  reason: z.null(),
  backup: z.null(),
}));
const conflictSchema = lazy(() =>
  z.object({ op: z.literal("conflict"), rule: ruleSchema, ...problemFields }),
);
const errorSchema = lazy(() =>
  z.object({ op: z.literal("error"), rule: ruleSchema, ...problemFields }),
);

/** One decision of the plan, by op: the third of the three words. */
export const actionSchema = lazy(() =>
  z.discriminatedUnion("op", [
    createSchema,
    replaceSchema,
    adoptSchema,
    unfoldSchema,
    mkdirSchema,
    removeSchema,
    skipSchema,
    conflictSchema,
    errorSchema,
  ]),
);
/** One decision of the plan. */
export type Action = z.infer<typeof actionSchema>;
/** An action's op. */
export type Op = Action["op"];
/** The actions of one op. */
export type ActionOf<O extends Op> = Extract<Action, { op: O }>;
/** The actions that write a link: create, replace and adopt. */
export type MakeAction = ActionOf<"create" | "replace" | "adopt">;

/** What an action is about: the desired link's paths and kind, what was found, and its entry (none for a remove). */
export interface Subject {
  kind: Action["kind"];
  link: string;
  target: string;
  found: Found;
  options: EntryOptions | null;
  place: EntryPlace | null;
}
/** The subject of an action about a link (not a directory of `directories`). */
export type LinkSubject = Subject & { kind: z.infer<typeof kind> };
/** The subject of an action that comes from a manifest entry. */
export type EntrySubject = LinkSubject & { options: EntryOptions; place: EntryPlace };
type EntryOptions = z.infer<typeof entryOptionsSchema>;
type EntryPlace = z.infer<typeof entryPlaceSchema>;

/** Only the subject's own fields, whatever else the value given carries. */
const about = (s: Subject) => ({
  kind: s.kind,
  link: s.link,
  target: s.target,
  found: s.found,
  options: s.options,
  place: s.place,
});
// A skip, conflict or error written out field by field, in about()'s order, with no spread:
// a no-op decides one per link (10,000 of them), and each spread made a temporary object and
// grew the action's property store as it copied.
function settled<O extends "skip" | "conflict" | "error">(
  op: O,
  s: Subject,
  rule: Rule,
  reason: O extends "skip" ? SkipReason : null,
  message: string | null,
  hint: string | null,
) {
  return {
    op,
    rule,
    kind: s.kind,
    link: s.link,
    target: s.target,
    found: s.found,
    options: s.options,
    place: s.place,
    reason,
    backup: null,
    message,
    hint,
  } as const;
}

/**
 * A create, replace or adopt written out field by field, in about()'s order, as `settled`: a
 * fresh apply plans one per link, and `{ op, rule, ...about(s) }` made two temporary objects
 * each and grew the action's property store four times as it copied.
 */
function making<
  O extends "create" | "replace" | "adopt",
  R extends LinkRule | "adopt",
  M extends string | null,
  B extends string | null,
>(op: O, s: EntrySubject, rule: R, recipe: LinkRecipe, message: M, backup: B) {
  return {
    op,
    rule,
    kind: s.kind,
    link: s.link,
    target: s.target,
    found: s.found,
    options: s.options,
    place: s.place,
    reason: null,
    backup,
    message,
    hint: null,
    recipe,
  } as const;
}

/** Builds each op's action from its subject, so every table writes actions the same way. */
export const act = {
  create: (s: EntrySubject, rule: LinkRule, recipe: LinkRecipe, message: string | null = null) =>
    making("create", s, rule, recipe, message, null),
  replace: (
    s: EntrySubject,
    rule: LinkRule,
    recipe: LinkRecipe,
    message: string,
    backup: string | null = null,
  ) => making("replace", s, rule, recipe, message, backup),
  adopt: (s: EntrySubject, recipe: LinkRecipe, message: string) =>
    making("adopt", s, "adopt", recipe, message, null),
  unfold: (s: LinkSubject, message: string) =>
    ({
      op: "unfold",
      rule: "folded",
      ...about(s),
      kind: s.kind,
      options: null,
      place: null,
      reason: null,
      backup: null,
      message,
      hint: null,
    }) as const,
  mkdir: (s: Subject & { place: EntryPlace }) =>
    ({
      op: "mkdir",
      rule: "directory-missing",
      ...about(s),
      kind: "directory",
      options: null,
      place: s.place,
      reason: null,
      backup: null,
      message: null,
      hint: null,
    }) as const,
  remove: (
    s: LinkSubject,
    restore: Restore | null,
    message: string | null,
    rule: "ours" | "dead-link" = "ours",
  ) =>
    ({
      op: "remove",
      rule,
      kind: s.kind,
      link: s.link,
      target: s.target,
      found: s.found,
      reason: null,
      backup: restore?.backup ?? null,
      message,
      hint: null,
      restore,
    }) as const,
  skip: (
    s: Subject,
    rule: Rule,
    reason: SkipReason,
    message: string | null = null,
    hint: string | null = null,
  ) => settled("skip", s, rule, reason, message, hint),
  conflict: (s: Subject, rule: Rule, message: string, hint: string | null = null) =>
    settled("conflict", s, rule, null, message, hint),
  error: (s: Subject, rule: Rule, message: string, hint: string | null = null) =>
    settled("error", s, rule, null, message, hint),
} satisfies Record<Op, (...args: never[]) => Action>;

/** How many actions of each op a plan holds, and of its skips how many for each reason. */
export const summarySchema = lazy(() =>
  z.object({
    create: z.number(),
    replace: z.number(),
    adopt: z.number(),
    unfold: z.number(),
    mkdir: z.number(),
    remove: z.number(),
    /** Every skip, whatever its reason (`skipped` tells them apart). */
    skip: z.number(),
    conflict: z.number(),
    error: z.number(),
    /** Of the skips: links already as declared that linkman takes over (records as its own). */
    takeOver: z.number(),
    /** The skips by reason, only the reasons that occur; a plan saved before this field reads as none. */
    skipped: z.partialRecord(skipReasonSchema, z.number()).default({}),
  }),
);
/** How many actions of each op a plan holds. */
export type Summary = z.infer<typeof summarySchema>;

/** The plan: a plain value that the human view, `--json` and `--out` all come from. */
export const planSchema = lazy(() =>
  z.object({
    version: z.literal(1),
    /** Absolute path of the manifest. */
    manifest: z.string(),
    actions: z.array(actionSchema),
    summary: summarySchema,
  }),
);
/** The plan. */
export type Plan = z.infer<typeof planSchema>;

/** What a target is: missing, or a file, directory or something else with its identity and where its directory entry really is. */
export type TargetInfo =
  | { type: "missing" }
  | {
      type: "file" | "directory" | "other";
      dev: string;
      ino: string;
      nlink: number;
      /** Where the target's directory entry really is: its directory's real path, plus its name. */
      real: string;
      /** For a hard link: the file the target finally leads to (link(2) does not follow a symlink). */
      resolved: string;
    };

/** Everything `decide` needs to know about the disk for one desired link. */
export interface Observation {
  found: Found;
  target: TargetInfo;
  /** Where the link would really be: the real path of its directory, plus its name. */
  linkReal: string;
  /** Whether the link's directory exists. */
  parentExists: boolean;
  /** A file (or anything but a directory) on the way to the link's directory: no link can be made below it. */
  blockedBy?: string;
  /** The device of the link's nearest existing ancestor directory (for hard links). */
  parentDev: string;
  /** For a hard link: a file is at the link path with exactly the target's bytes. */
  sameBytes: boolean;
  /** A name beside the link where what is in the way can be moved, if it comes to that. */
  freeBackup: string;
  /** For `onConflict: chain`: something is already at `NAME.linkman-chained`, so nothing more can be chained. */
  chainedTaken?: boolean;
  /**
   * A directory link above the link path that leads into the repository (Stow folding): the
   * plan unfolds it first, so what is found and where the link really is are as they will be
   * once it is a real directory.
   */
  folded?: string;
}

/** Counts the actions of each op. */
export function summarize(actions: readonly Action[]): Summary {
  const summary: Summary = {
    create: 0,
    replace: 0,
    adopt: 0,
    unfold: 0,
    mkdir: 0,
    remove: 0,
    skip: 0,
    conflict: 0,
    error: 0,
    takeOver: 0,
    skipped: {},
  };
  // Indexed, not for...of: run once per plan, this loop is never optimised, and unoptimised
  // for...of makes an iterator result per action (twice 10,000 on a no-op's plan).
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i]!;
    summary[a.op]++;
    if (a.rule === "take-over") summary.takeOver++;
    if (a.op === "skip") summary.skipped[a.reason] = (summary.skipped[a.reason] ?? 0) + 1;
  }
  return summary;
}

/** A plan of these actions for a manifest. */
export function assemblePlan(manifest: string, actions: Action[]): Plan {
  return { version: 1, manifest, actions, summary: summarize(actions) };
}

/** Whether a plan holds anything that stops `apply` (a conflict or an error). */
export function isBlocked(plan: Plan): boolean {
  return plan.summary.conflict > 0 || plan.summary.error > 0;
}

/** Whether an action writes to the disk. */
export function changesDisk(
  action: Action,
): action is MakeAction | ActionOf<"mkdir" | "remove" | "unfold"> {
  return (
    action.op === "create" ||
    action.op === "replace" ||
    action.op === "adopt" ||
    action.op === "unfold" ||
    action.op === "mkdir" ||
    action.op === "remove"
  );
}

/**
 * What happened to one action when the plan was applied: done, failed (with the path and
 * cause), a conflict (the path no longer held what the plan saw, so it was left alone), or
 * unchanged (nothing to do, or not applied).
 */
export const actionResultSchema = lazy(() =>
  z.object({
    result: z.enum(["done", "failed", "conflict", "unchanged"]),
    /** For a failure or a conflict: the path and the cause (and the action's `hint` says what to do). */
    error: z.string().nullable(),
    /** Where what was in the way was really moved (it may differ from the plan's if that name got taken), or the backup put back. */
    movedTo: z.string().nullable(),
    /** With `fallback: auto`: the kind made instead of a refused symlink. */
    fallback: z.enum(["junction", "hardlink"]).nullable(),
    /** For a hard link made: the file's device and inode, so it can be recognised later. */
    identity: z.object(identity).nullable(),
  }),
);
/** What happened to one action when the plan was applied. */
export type ActionResult = z.infer<typeof actionResultSchema>;

/** An action of the plan with what happened to it. */
export const appliedActionSchema = lazy(() => z.intersection(actionSchema, actionResultSchema));
/** An action of the plan with what happened to it. */
export type AppliedAction = Action & ActionResult;

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

/** Whether two observations of a path show the same thing (the same link text, the same file unchanged). */
export function sameFound(a: Found, b: Found): boolean {
  if (
    (a.type === "symlink" || a.type === "junction") &&
    (b.type === "symlink" || b.type === "junction")
  ) {
    return a.type === b.type && a.linkTarget === b.linkTarget;
  }
  if (a.type === "file" && b.type === "file") {
    return (
      a.dev === b.dev &&
      a.ino === b.ino &&
      a.size === b.size &&
      a.mtimeMs === b.mtimeMs &&
      a.digest === b.digest
    );
  }
  return a.type === b.type;
}
