import type { Result } from "../diagnostic.js";
import { fail, ok } from "../diagnostic.js";
import path from "node:path";
import type { Action, Plan } from "../engine/action.js";
import type { EntryOptions } from "../manifest/manifest.js";
import { act, assemblePlan } from "../engine/action.js";
import { isInside, pathKey, samePath } from "../platform.js";
import { planLinks } from "../engine/plan.js";
import { planRemovals, stillOurs } from "../engine/removals.js";
import { planDirectories } from "../engine/directories.js";
import { rootsFor } from "../engine/roots.js";
import { readOnly } from "../fs/wrappers.js";
import { hooksNotice, hooksNotRun } from "../resolve/git.js";
import { parseGlob } from "../resolve/glob.js";
import { linkKeysOf } from "../resolve/overlaps.js";
import { recordsByLink, recordsNotIn, type LinkRecord, type State } from "../state/state.js";
import type { Context } from "./context.js";
import { loadManifest, type LoadedManifest, type ManifestChoice } from "./load.js";
import { isRefusal, type PlanReport, type Refusal } from "./report.js";
import { wouldTidy } from "../engine/tidyDirectories.js";
import { readStateOf, stateFileOf, type StateChoice } from "./stateAccess.js";

/** The choices that decide a plan. */
export interface PlanChoice {
  /** `--force`: an entry whose policy is `fail` moves what is in the way to a backup. */
  force?: boolean | undefined;
  /** `--prune`: also remove the links linkman made that the manifest no longer lists. */
  prune?: boolean | undefined;
  /**
   * PATHs (absolute, see `choosePaths`): only links at or below one of them, or whose target
   * lies at or below one (a Stow package's directory), are planned.
   */
  paths?: readonly string[] | undefined;
  /**
   * Per link path (absolute), options that override the entry's: how `apply --interactive`
   * passes each answer (`onConflict: backup` or `skip`), so it is decided like any other entry.
   */
  overrides?: Readonly<Record<string, Partial<Pick<EntryOptions, "onConflict" | "ifMissing">>>>;
  /**
   * Called after each link is looked at while planning, for a progress indicator; before
   * that, without a total, at each file a glob target finds (a large glob's walk is slow too).
   */
  onPlanProgress?: ((done: number, total?: number) => void) | undefined;
}

/** What `plan` is told. */
export interface PlanOptions extends ManifestChoice, StateChoice, PlanChoice {}

/**
 * `linkman plan`: the manifest's plan, made through a read-only view of the filesystem.
 * Invalid input is a failed Result (its diagnostics); a state that cannot be trusted for
 * `--prune` is a refusal.
 */
export async function plan(
  ctx: Context,
  options: PlanOptions = {},
): Promise<Result<PlanReport | Refusal>> {
  const loaded = await loadManifest(ctx, options);
  if (!loaded.ok) return loaded;
  // The state tells links linkman made (stale, or to take over) from others; without
  // --prune a state that cannot be read only leaves those unknown.
  const read = await readStateOf(ctx, loaded.value.file, options);
  if (isRefusal(read) && options.prune) return ok(read);
  const state = isRefusal(read) ? undefined : read.split.trusted;
  const paths = choosePaths(ctx, options.paths, loaded.value, state);
  if (!paths.ok) return paths;
  const made = await planManifest(ctx, loaded.value, { ...options, paths: paths.value }, state);
  const hooks = await hooksNotRun(ctx.fs, made.actions, loaded.value.file, ctx.env, ctx.homedir);
  const tidy =
    options.prune && state
      ? await wouldTidy(ctx.fs, state, made.actions, listedDirectories(loaded.value), ctx)
      : [];
  return ok({
    ...made,
    stateFile: isRefusal(read) ? null : read.file,
    notices: [
      ...(isRefusal(read)
        ? [`${read.message}; cannot tell which links linkman made`]
        : read.notices),
      ...hooksNotice(hooks),
      ...tidy,
    ],
  });
}

/**
 * The PATHs given on the command line, resolved against the working directory; undefined
 * when none were given. A PATH that matches no link of the manifest and no link linkman
 * recorded is invalid input (nothing is planned for it, so it is surely a typo).
 */
export function choosePaths(
  ctx: Context,
  given: readonly string[] | undefined,
  loaded: LoadedManifest | undefined,
  state: State | undefined,
): Result<string[] | undefined> {
  if (!given || given.length === 0) return ok(undefined);
  const paths = given.map((p) => path.resolve(ctx.cwd, p));
  const known = [...(loaded?.links ?? []), ...(state?.links ?? [])];
  const unmatched = paths.filter(
    (p) => !known.some((l) => matchesPaths(l.link, l.target, [p], ctx.platform)),
  );
  if (unmatched.length === 0) return ok(paths);
  return fail(
    unmatched.map((p) => ({
      path: "",
      message: `${p} matches no link of this manifest: no link path is at or below it, and no target lies below it`,
      hint: "give a link path (such as ~/.config/nvim) or a directory of the repository (such as a Stow package, `linkman apply vim`)",
    })),
  );
}

/** Whether a link is at or below one of the paths, or its target is. */
export function matchesPaths(
  link: string,
  target: string,
  paths: readonly string[],
  platform: string,
): boolean {
  const under = (p: string, dir: string) =>
    samePath(p, dir, platform) || isInside(p, dir, platform);
  return paths.some((dir) => under(link, dir) || under(target, dir));
}

/**
 * Plans a loaded manifest's links; with `prune` and a state, also the removal of links
 * linkman made that the manifest no longer lists (their backups are put back).
 */
export async function planManifest(
  ctx: Context,
  loaded: LoadedManifest,
  choice: PlanChoice & StateChoice,
  state?: State,
): Promise<Plan> {
  const view = readOnly(ctx.fs);
  const { paths } = choice;
  const chosen = (l: { link: string; target: string }) =>
    !paths || paths.length === 0 || matchesPaths(l.link, l.target, paths, ctx.platform);
  const overrides = choice.overrides ?? {};
  // Most runs have neither PATHs nor overrides: the links are used as they are.
  const chosenLinks = paths?.length ? loaded.links.filter(chosen) : loaded.links;
  const links =
    Object.keys(overrides).length === 0
      ? chosenLinks
      : chosenLinks.map((l) =>
          overrides[l.link] ? { ...l, options: { ...l.options, ...overrides[l.link] } } : l,
        );
  const where = {
    homedir: ctx.homedir,
    manifest: loaded.file,
    allowOutside: choice.allowOutside ?? [],
  };
  const roots = await rootsFor(view, where);
  const records = state && recordsByLink(state);
  const linked = await planLinks(links, {
    fs: view,
    platform: ctx.platform,
    ...where,
    roots,
    force: choice.force ?? false,
    onProgress: choice.onPlanProgress,
    ...(records ? { likelyLinks: recordedLinks(records), records } : {}),
  });
  // The removals of links no longer listed (read-only here): a listed directory inside one is
  // looked at, and made, once it is gone.
  const unlisted =
    state && records ? unlistedRecords(state, loaded, ctx.platform).filter(chosen) : [];
  const removals = unlisted.length
    ? await planRemovals(unlisted, view, "backups", ctx.platform)
    : [];
  const more = choice.prune ? removals : removals.flatMap(staleOf);
  // Directories first: a link the manifest puts inside one then finds it made.
  const directories = (loaded.directories ?? []).filter((d) =>
    chosen({ link: d.path, target: d.path }),
  );
  const byLink = directories.length
    ? linksByKey(linked.actions.concat(more), ctx.platform)
    : undefined;
  const made = byLink
    ? await planDirectories(directories, view, roots, ctx.platform, (dir) =>
        seenAfterLinks(dir, byLink, ctx.platform),
      )
    : [];
  // Those inside a link the run removes come after the removals.
  const removed = (a: Action) =>
    byLink !== undefined && linkAbove(a.link, byLink, ctx.platform)?.op === "remove";
  const last = made.some(removed)
    ? (
        await keepOffState(
          ctx,
          loaded.file,
          choice,
          assemblePlan(loaded.file, made.filter(removed)),
        )
      ).actions
    : [];
  const first = last.length ? made.filter((a) => !removed(a)) : made;
  const planned = await keepOffState(
    ctx,
    loaded.file,
    choice,
    byLink && first.length
      ? assemblePlan(loaded.file, directoriesAround(first, linked.actions, byLink, ctx.platform))
      : linked,
  );
  if (!state || !records) return planned;
  // Indexed, and the plan kept as it is when nothing is taken over or added (a no-op's plan
  // of 10,000 links): no second array of its actions, no second count.
  let actions: Action[] | undefined;
  for (let i = 0; i < planned.actions.length; i++) {
    const action = planned.actions[i]!;
    const taken = takeOver(action, records.get(action.link));
    if (taken !== action) (actions ??= planned.actions.slice())[i] = taken;
  }
  if (!actions && more.length === 0) return planned;
  return assemblePlan(loaded.file, (actions ?? planned.actions).concat(more, last));
}

/**
 * A link already exactly as declared that linkman did not make (Stow, dotbot or the user
 * did): apply takes it over, recording it as its own, so unlink, prune and status manage
 * it from then on. Only a symlink or junction is taken over: its text is what is recorded,
 * and removing it later loses nothing.
 */
function takeOver(action: Action, record: LinkRecord | undefined): Action {
  if (action.op !== "skip" || action.rule !== "desired-link") return action;
  if (action.found.type !== "symlink" && action.found.type !== "junction") return action;
  if (record && stillOurs(record, action.found)) return action;
  return act.skip(
    action,
    "take-over",
    "up-to-date",
    "already linked as declared, not by linkman: apply records it as linkman's",
  );
}

/** Without --prune, a link linkman made that is no longer listed is shown as stale, never removed. */
function staleOf(action: Action): Action[] {
  if (action.op !== "remove") return [];
  return [
    act.skip(
      { ...action, options: null, place: null },
      "stale",
      "stale",
      "linkman made this link, and the manifest no longer lists it",
      "`linkman prune` (or `apply --prune`) removes it",
    ),
  ];
}

/**
 * A link at, above or inside linkman's own state directory is an error: a manifest from a
 * repository could otherwise hand the state of the user's other manifests to itself.
 */
async function keepOffState(
  ctx: Context,
  manifest: string,
  choice: StateChoice,
  planned: Plan,
): Promise<Plan> {
  const dir = path.dirname((await stateFileOf(ctx, manifest, choice)).file);
  const near = (link: string) =>
    samePath(link, dir, ctx.platform) ||
    isInside(dir, link, ctx.platform) ||
    isInside(link, dir, ctx.platform);
  if (!planned.actions.some((a) => a.op !== "skip" && near(a.link))) return planned;
  return assemblePlan(
    planned.manifest,
    planned.actions.map((a) =>
      a.op !== "skip" && near(a.link)
        ? act.error(
            {
              ...a,
              options: "options" in a ? a.options : null,
              place: "place" in a ? a.place : null,
            },
            "linkman-state",
            `linkman's own state is kept in ${dir}; a link there is refused`,
            "link somewhere else, or keep linkman's state elsewhere with XDG_STATE_HOME",
          )
        : a,
    ),
  );
}

/** The links' actions by their link's key (`pathKey`). */
function linksByKey(links: readonly Action[], platform: string): Map<string, Action> {
  return new Map(links.map((a) => [pathKey(a.link, platform), a]));
}

/** The action of the nearest link the manifest declares above `dir`, if any. */
function linkAbove(dir: string, byLink: ReadonlyMap<string, Action>, platform: string) {
  for (let up = path.dirname(dir); up !== path.dirname(up); up = path.dirname(up)) {
    const action = byLink.get(pathKey(up, platform));
    if (action) return action;
  }
  return undefined;
}

/**
 * Where a listed directory will be once the links planned before it are made, so that its
 * action is decided on what the run will find there (else a directory already in a new link's
 * target was a change since the plan, and one seen through the old link was never made):
 * inside a link the run makes or replaces, in that link's target; inside one it unfolds, in
 * a new empty directory (undefined); inside one it removes (prune), in what is put back there,
 * if anything; elsewhere, where it is.
 */
function seenAfterLinks(
  dir: string,
  byLink: ReadonlyMap<string, Action>,
  platform: string,
): string | undefined {
  const above = linkAbove(dir, byLink, platform);
  if (!above) return dir;
  // Below the link as `dir` spells it (on a case-insensitive system the entry may differ).
  let up = path.dirname(dir);
  while (!samePath(up, above.link, platform)) up = path.dirname(up);
  const below = path.relative(up, dir);
  if (above.op === "create" || above.op === "replace") return path.join(above.target, below);
  if (above.op === "unfold") return undefined;
  if (above.op === "remove") {
    // What is put back where the link was, if anything: a backup, or an earlier link.
    const { backup, previous } = above.restore ?? {};
    if (backup) return path.join(backup, below);
    if (previous) return path.join(path.resolve(path.dirname(above.link), previous), below);
    return undefined;
  }
  return dir;
}

/**
 * The listed directories' actions around the links': first, so that a link the manifest puts
 * inside one finds it made; after them where a directory lies inside a link the manifest
 * declares (a directory link: findOverlaps refuses the rest), so that it is made in that
 * link's target once the link is there, as dotbot's `create` after `link` makes it.
 */
function directoriesAround(
  made: readonly Action[],
  links: readonly Action[],
  byLink: ReadonlyMap<string, Action>,
  platform: string,
): Action[] {
  const inside = (dir: string) => linkAbove(dir, byLink, platform) !== undefined;
  const after = made.filter((a) => inside(a.link));
  if (after.length === 0) return [...made, ...links];
  return [...made.filter((a) => !inside(a.link)), ...links, ...after];
}

/** The directories a manifest lists, those skipped by `when` too: prune never removes one (switching profiles never prunes). */
export function listedDirectories(loaded: LoadedManifest): string[] {
  return (loaded.directories ?? []).map((d) => d.path);
}

/**
 * The symlinks and junctions the state records (hard links are files: readlink would fail),
 * asked of the records by link rather than copied into a second set of 10,000 paths.
 */
function recordedLinks(records: ReadonlyMap<string, LinkRecord>): { has(link: string): boolean } {
  return {
    has: (link) => {
      const record = records.get(link);
      return record !== undefined && record.kind !== "hardlink";
    },
  };
}

/**
 * The records of links the manifest no longer lists: what prune removes. Entries skipped by
 * `when` still list their links, and a skipped glob entry its whole link directory, since
 * its matches are not looked for: switching profiles never prunes.
 */
export function unlistedRecords(
  state: State,
  loaded: LoadedManifest,
  platform: string,
): LinkRecord[] {
  const skippedGlobs = loaded.links
    .filter((l) => l.skipped && parseGlob(l.target))
    .map((l) => l.link);
  // The resolved links' own map answers where it has them all (no entry skipped).
  const keys = linkKeysOf(loaded.links, platform);
  const unlisted = keys
    ? state.links.filter((r) => !keys.has(pathKey(r.link, platform)))
    : recordsNotIn(
        state,
        loaded.links.map((l) => l.link),
        platform,
      );
  return skippedGlobs.length === 0
    ? unlisted
    : unlisted.filter((r) => !skippedGlobs.some((dir) => isInside(r.link, dir, platform)));
}
