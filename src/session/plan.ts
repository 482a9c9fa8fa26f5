import type { Result } from "../diagnostic.js";
import { ok } from "../diagnostic.js";
import path from "node:path";
import type { Plan } from "../engine/action.js";
import { act, assemblePlan } from "../engine/action.js";
import { isInside, samePath } from "../platform.js";
import { planLinks } from "../engine/plan.js";
import { planRemovals } from "../engine/removals.js";
import { readOnly } from "../fs/wrappers.js";
import { hooksNotice, hooksNotRun } from "../resolve/git.js";
import { parseGlob } from "../resolve/glob.js";
import { recordsNotIn, type LinkRecord, type State } from "../state/state.js";
import type { Context } from "./context.js";
import { loadManifest, type LoadedManifest, type ManifestChoice } from "./load.js";
import { isRefusal, type PlanReport, type Refusal } from "./report.js";
import { readStateOf, stateFileOf, type StateChoice } from "./stateAccess.js";

/** The choices that decide a plan. */
export interface PlanChoice {
  /** `--force`: an entry whose policy is `fail` moves what is in the way to a backup. */
  force?: boolean | undefined;
  /** `--prune`: also remove the links linkman made that the manifest no longer lists. */
  prune?: boolean | undefined;
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
  const read = options.prune ? await readStateOf(ctx, loaded.value.file, options) : undefined;
  if (isRefusal(read)) return ok(read);
  const made = await planManifest(ctx, loaded.value, options, read?.split.trusted);
  const hooks = await hooksNotRun(ctx.fs, made.actions, loaded.value.file, ctx.env, ctx.homedir);
  const notices = [...(read?.notices ?? []), ...hooksNotice(hooks)];
  return ok({ ...made, stateFile: read?.file ?? null, notices });
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
  const linked = await planLinks(loaded.links, {
    fs: view,
    platform: ctx.platform,
    homedir: ctx.homedir,
    manifest: loaded.file,
    allowOutside: choice.allowOutside ?? [],
    force: choice.force ?? false,
    ...(state ? { likelyLinks: recordedLinks(state) } : {}),
  });
  const planned = await keepOffState(ctx, loaded.file, choice, linked);
  if (!choice.prune || !state) return planned;
  const unlisted = unlistedRecords(state, loaded, ctx.platform);
  return assemblePlan(loaded.file, [
    ...planned.actions,
    ...(await planRemovals(unlisted, view, "backups", ctx.platform)),
  ]);
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

/** The symlinks and junctions the state records (hard links are files: readlink would fail). */
function recordedLinks(state: State): Set<string> {
  return new Set(state.links.filter((r) => r.kind !== "hardlink").map((r) => r.link));
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
  return recordsNotIn(
    state,
    loaded.links.map((l) => l.link),
    platform,
  ).filter((r) => !skippedGlobs.some((dir) => isInside(r.link, dir, platform)));
}
