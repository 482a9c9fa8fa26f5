import path from "node:path";
import type { Result } from "../diagnostic.js";
import { fail, ok } from "../diagnostic.js";
import { summarize, type Plan } from "../engine/action.js";
import { refusedResult } from "../engine/apply.js";
import { readSavedPlan, staleActions, type SavedPlan } from "../engine/savedPlan.js";
import { errorCode, readTextFile } from "../fs/fileSystem.js";
import { samePath } from "../platform.js";
import { realManifestPath } from "../state/stateFile.js";
import type { Context } from "./context.js";
import { loadManifest, type LoadedManifest, type ManifestChoice } from "./load.js";
import { choosePaths, listedDirectories, planManifest, type PlanChoice } from "./plan.js";
import { applyRecorded } from "./recordedApply.js";
import { wouldTidy } from "../engine/tidyDirectories.js";
import { isRefusal, refusal, type ChangeReport, type Refusal } from "./report.js";
import { readStateOf, withLockedState, type StateChoice } from "./stateAccess.js";

/** The choices of a run that changes links. */
export interface ChangeChoice {
  /** Print the plan, change nothing. */
  dryRun?: boolean | undefined;
  /** Apply the rest of a plan that holds conflicts or errors. */
  skipConflicts?: boolean | undefined;
  /** Called after each action with how many are done, for a progress indicator. */
  onProgress?: ((done: number, total: number) => void) | undefined;
}

/** What `apply` is told. */
export interface ApplyOptions extends ManifestChoice, StateChoice, PlanChoice, ChangeChoice {}

/**
 * `linkman apply`: plans under the manifest's lock and applies, keeping the state in step.
 * Invalid input is a failed Result; everything else (a refusal, failures) is in the report.
 */
export async function apply(
  ctx: Context,
  options: ApplyOptions = {},
): Promise<Result<ChangeReport>> {
  const loaded = await loadManifest(ctx, options);
  if (!loaded.ok) return loaded;
  const manifest = loaded.value.file;
  // The state is read here only where it is needed before the lock: for a dry run, and to
  // tell a PATH of a package whose entries are gone (a real apply reads it again, locked).
  const needState = options.dryRun === true || (options.paths?.length ?? 0) > 0;
  const read = needState ? await readStateOf(ctx, manifest, options) : undefined;
  const trusted = read === undefined || isRefusal(read) ? undefined : read.split.trusted;
  const paths = choosePaths(ctx, options.paths, loaded.value, trusted);
  if (!paths.ok) return paths;
  const choice = { ...options, paths: paths.value };
  if (options.dryRun && read !== undefined) {
    // What a real run would see: the links it made (stale, or to take over) and, with
    // --prune, a state it cannot trust refuses.
    if (isRefusal(read) && options.prune) return ok(refusedReport("apply", manifest, read));
    const planned = await planManifest(ctx, loaded.value, choice, trusted);
    const tidy =
      options.prune && trusted
        ? await wouldTidy(ctx.fs, trusted, planned.actions, listedDirectories(loaded.value), ctx)
        : [];
    return ok(
      dryRunReport(
        "apply",
        planned,
        isRefusal(read) ? "" : read.file,
        isRefusal(read) ? [] : [...read.notices, ...tidy],
      ),
    );
  }
  const done = await withLockedState(ctx, manifest, options, async (held) =>
    applyRecorded(ctx, await planManifest(ctx, loaded.value, choice, held.split.trusted), held, {
      command: "apply",
      skipConflicts: options.skipConflicts,
      tidy: options.prune ?? false,
      keepDirectories: listedDirectories(loaded.value),
      onProgress: options.onProgress,
    }),
  );
  return ok(isRefusal(done) ? refusedReport("apply", manifest, done) : done);
}

/** What `apply PLANFILE` is told: the plan's file, and the run's own choices. */
export interface ApplySavedOptions extends ManifestChoice, StateChoice, ChangeChoice {
  /** The plan saved by `plan --out`. */
  planFile: string;
}

/**
 * `linkman apply PLANFILE`: a saved plan is a set of intentions, not commands (SPEC rule
 * 9). It must be for the manifest found here; it is re-decided from that manifest and
 * today's disk, and applied only if the plan made now is the same action for action.
 */
export async function applySaved(
  ctx: Context,
  options: ApplySavedOptions,
): Promise<Result<ChangeReport>> {
  const file = path.resolve(ctx.cwd, options.planFile);
  const saved = await readPlanFile(ctx, file);
  if (!saved.ok) return saved;
  const loaded = await loadManifest(ctx, options);
  if (!loaded.ok) return loaded;
  const manifest = loaded.value.file;
  const [madeFor, here] = await Promise.all([
    realManifestPath(ctx.fs, saved.value.manifest),
    realManifestPath(ctx.fs, manifest),
  ]);
  if (!samePath(madeFor, here, ctx.platform)) {
    return ok(
      refusedReport(
        "apply",
        manifest,
        refusal(
          "stale-plan",
          `nothing was applied: the plan was made for ${saved.value.manifest}, but the manifest here is ${manifest}`,
          "run it where that manifest is found (or pass it with -c), or make a new plan with `linkman plan --out`",
        ),
      ),
    );
  }
  const choice = { ...saved.value.choices, allowOutside: options.allowOutside };
  const decide = (now: Plan): Refusal | undefined => {
    const stale = staleActions(saved.value, now);
    if (stale.length === 0) return undefined;
    return refusal(
      "stale-plan",
      `nothing was applied: ${stale.length === 1 ? "a path has" : `${stale.length} paths have`} changed since the plan was made (or the manifest now plans ${stale.length === 1 ? "it" : "them"} otherwise)`,
      "make a new plan with `linkman plan --out`",
      stale,
    );
  };
  if (options.dryRun) {
    // What a real run would see, as `apply --dry-run` does: the links it made (stale, or to
    // take over), what an interrupted run left, and with --prune a state it cannot trust refuses.
    const state = await readStateOf(ctx, manifest, options);
    if (isRefusal(state) && choice.prune) return ok(refusedReport("apply", manifest, state));
    const read = isRefusal(state) ? undefined : state;
    const now = await planManifest(ctx, loaded.value, choice, read?.split.trusted);
    const stale = decide(now);
    if (stale) return ok(refusedReport("apply", manifest, stale, now));
    const tidy =
      read && choice.prune
        ? await wouldTidy(
            ctx.fs,
            read.split.trusted,
            now.actions,
            listedDirectories(loaded.value),
            ctx,
          )
        : [];
    return ok(dryRunReport("apply", now, read?.file ?? "", [...(read?.notices ?? []), ...tidy]));
  }
  const done = await withLockedState(ctx, manifest, options, async (held) => {
    const now = await planManifest(ctx, loaded.value, choice, held.split.trusted);
    const stale = decide(now);
    if (stale) return refusedReport("apply", manifest, stale, now, held.file);
    return applyRecorded(ctx, now, held, {
      command: "apply",
      skipConflicts: options.skipConflicts,
      tidy: choice.prune,
      keepDirectories: listedDirectories(loaded.value),
      onProgress: options.onProgress,
    });
  });
  return ok(isRefusal(done) ? refusedReport("apply", manifest, done) : done);
}

/** Reads a saved plan: a regular file of bounded size, in the shape `plan --out` writes. */
async function readPlanFile(ctx: Context, file: string): Promise<Result<SavedPlan>> {
  let text: string;
  try {
    text = await readTextFile(ctx.fs, file);
  } catch (error) {
    const code = errorCode(error);
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EINVAL"
          ? "it is not a regular file"
          : code === "EFBIG"
            ? "it is larger than a plan can be"
            : (code ?? String(error));
    return fail([{ file, path: "", message: `cannot read the plan: ${why}` }]);
  }
  const read = readSavedPlan(text);
  if (!read.ok) return fail([{ file, path: "", message: `this file ${read.problem}` }]);
  return ok(read.plan);
}

/** The report of a session that changed nothing: the plan (if one was made), and why. */
export function refusedReport(
  command: ChangeReport["command"],
  manifest: string,
  why: Refusal,
  plan?: Plan,
  stateFile = "",
): ChangeReport {
  const result = plan ? refusedResult(plan) : undefined;
  return {
    version: 1,
    command,
    manifest,
    stateFile,
    dryRun: false,
    refused: why,
    actions: result?.actions ?? [],
    summary: plan?.summary ?? summarize([]),
    failed: 0,
    notices: [],
  };
}

/** The report of a dry run: the plan, each action unchanged. */
export function dryRunReport(
  command: ChangeReport["command"],
  plan: Plan,
  stateFile: string,
  notices: string[],
): ChangeReport {
  return {
    version: 1,
    command,
    manifest: plan.manifest,
    stateFile,
    dryRun: true,
    refused: null,
    actions: refusedResult(plan).actions,
    summary: plan.summary,
    failed: 0,
    notices,
  };
}

export type { LoadedManifest };
