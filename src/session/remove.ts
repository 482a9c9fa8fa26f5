import type { Result } from "../diagnostic.js";
import { ok } from "../diagnostic.js";
import { assemblePlan } from "../engine/action.js";
import { planRemovals } from "../engine/removals.js";
import { readOnly } from "../fs/wrappers.js";
import type { LinkRecord, State } from "../state/state.js";
import { dryRunReport, refusedReport, type ChangeChoice } from "./apply.js";
import type { Context } from "./context.js";
import { loadManifest, locateManifest, type ManifestChoice } from "./load.js";
import { listedDirectories, unlistedRecords } from "./plan.js";
import { applyRecorded } from "./recordedApply.js";
import { isRefusal, type ChangeReport } from "./report.js";
import { readStateOf, withLockedState, type StateChoice } from "./stateAccess.js";

/** What `unlink` is told. */
export interface UnlinkOptions extends ManifestChoice, StateChoice, ChangeChoice {
  /** Put back the backups and the links that were there before. */
  restore?: boolean | undefined;
}

/** What `prune` is told. */
export interface PruneOptions extends ManifestChoice, StateChoice, ChangeChoice {}

/**
 * `linkman unlink [--restore]`: removes every link linkman made for this manifest that is
 * still as it left it. The manifest only has to be found, not valid: a broken manifest can
 * still be unlinked.
 */
export async function unlink(
  ctx: Context,
  options: UnlinkOptions = {},
): Promise<Result<ChangeReport>> {
  const found = await locateManifest(ctx, options);
  if (!found.ok) return found;
  return ok(
    await removeRecorded(
      ctx,
      "unlink",
      found.value.file,
      options,
      options.restore ? "all" : "none",
      (state) => state.links,
    ),
  );
}

/**
 * `linkman prune`: removes the links linkman made for this manifest that it no longer
 * lists, putting back the backups of what was there before them.
 */
export async function prune(
  ctx: Context,
  options: PruneOptions = {},
): Promise<Result<ChangeReport>> {
  const loaded = await loadManifest(ctx, options);
  if (!loaded.ok) return loaded;
  return ok(
    await removeRecorded(
      ctx,
      "prune",
      loaded.value.file,
      options,
      "backups",
      (state) => unlistedRecords(state, loaded.value, ctx.platform),
      listedDirectories(loaded.value),
    ),
  );
}

/**
 * Removes the recorded links that `select` picks, each only if it is still exactly as
 * linkman left it, then removes the directories linkman made that are left empty.
 */
async function removeRecorded(
  ctx: Context,
  command: "unlink" | "prune",
  manifest: string,
  options: StateChoice & ChangeChoice,
  restore: "none" | "backups" | "all",
  select: (state: State) => LinkRecord[],
  keepDirectories: readonly string[] = [],
): Promise<ChangeReport> {
  const planOf = async (state: State) =>
    assemblePlan(
      manifest,
      await planRemovals(select(state), readOnly(ctx.fs), restore, ctx.platform),
    );
  if (options.dryRun) {
    const read = await readStateOf(ctx, manifest, options);
    if (isRefusal(read)) return refusedReport(command, manifest, read);
    return dryRunReport(command, await planOf(read.split.trusted), read.file, read.notices);
  }
  // A link that cannot be looked at is reported as an error (and fails the run), and the
  // others are still removed.
  const done = await withLockedState(ctx, manifest, options, async (held) => {
    const plan = await planOf(held.split.trusted);
    const report = await applyRecorded(ctx, plan, held, {
      command,
      tidy: true,
      keepDirectories,
      skipConflicts: true,
      onProgress: options.onProgress,
    });
    return { ...report, failed: report.failed + plan.summary.error };
  });
  return isRefusal(done) ? refusedReport(command, manifest, done) : done;
}
