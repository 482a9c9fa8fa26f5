import type { Result } from "../diagnostic.js";
import { ok } from "../diagnostic.js";
import path from "node:path";
import type { Action } from "../engine/action.js";
import { assemblePlan } from "../engine/action.js";
import { planDeadLinkRemovals } from "../engine/deadLinks.js";
import { rootsFor } from "../engine/roots.js";
import type { FileSystem } from "../fs/fileSystem.js";
import { planRemovals } from "../engine/removals.js";
import { readOnly } from "../fs/wrappers.js";
import type { LinkRecord, State } from "../state/state.js";
import { dryRunReport, refusedReport, type ChangeChoice } from "./apply.js";
import type { Context } from "./context.js";
import { loadManifest, locateManifest, type ManifestChoice } from "./load.js";
import { choosePaths, listedDirectories, matchesPaths, unlistedRecords } from "./plan.js";
import { applyRecorded } from "./recordedApply.js";
import { wouldTidy } from "../engine/tidyDirectories.js";
import { isRefusal, type ChangeReport } from "./report.js";
import { readStateOf, withLockedState, type StateChoice } from "./stateAccess.js";

/** What `unlink` is told. */
export interface UnlinkOptions extends ManifestChoice, StateChoice, ChangeChoice {
  /** Put back the backups and the links that were there before. */
  restore?: boolean | undefined;
  /** PATHs: only links at or below them, or whose targets lie below them (`unlink vim` is `stow -D vim`). */
  paths?: readonly string[] | undefined;
}

/** What `prune` is told. */
export interface PruneOptions extends ManifestChoice, StateChoice, ChangeChoice {
  /**
   * `--dead-links-in DIR` (dotbot's `clean`): also remove the dead symlinks in these
   * directories that lead into the manifest's directory, whoever made them.
   */
  deadLinksIn?: readonly string[] | undefined;
  /** `--recursive`: look for dead links in their subdirectories too. */
  recursive?: boolean | undefined;
}

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
  let paths: string[] | undefined;
  if (options.paths?.length) {
    // Only the state says which links there are: a PATH must match one of its records.
    const read = await readStateOf(ctx, found.value.file, options);
    const chosen = choosePaths(
      ctx,
      options.paths,
      undefined,
      isRefusal(read) ? undefined : read.split.trusted,
    );
    if (!chosen.ok) return chosen;
    paths = chosen.value;
  }
  return ok(
    await removeRecorded(
      ctx,
      "unlink",
      found.value.file,
      options,
      options.restore ? "all" : "none",
      (state) =>
        paths
          ? state.links.filter((r) => matchesPaths(r.link, r.target, paths, ctx.platform))
          : state.links,
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
      options.deadLinksIn?.length
        ? async (fs) =>
            planDeadLinkRemovals(
              {
                dirs: options.deadLinksIn ?? [],
                into: path.dirname(loaded.value.file),
                recursive: options.recursive ?? false,
              },
              fs,
              await rootsFor(fs, {
                homedir: ctx.homedir,
                manifest: loaded.value.file,
                allowOutside: options.allowOutside,
              }),
              ctx.platform,
            )
        : undefined,
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
  more?: (fs: FileSystem) => Promise<Action[]>,
): Promise<ChangeReport> {
  const planOf = async (state: State) => {
    const view = readOnly(ctx.fs);
    const recorded = await planRemovals(select(state), view, restore, ctx.platform);
    // A dead link linkman recorded is already among the recorded removals.
    const listed = new Set(recorded.map((a) => a.link));
    const extra = more ? (await more(view)).filter((a) => !listed.has(a.link)) : [];
    return assemblePlan(manifest, [...recorded, ...extra]);
  };
  if (options.dryRun) {
    const read = await readStateOf(ctx, manifest, options);
    if (isRefusal(read)) return refusedReport(command, manifest, read);
    const plan = await planOf(read.split.trusted);
    const tidy = await wouldTidy(ctx.fs, read.split.trusted, plan.actions, keepDirectories, ctx);
    return dryRunReport(command, plan, read.file, [...read.notices, ...tidy]);
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
