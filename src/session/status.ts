import type { Result } from "../diagnostic.js";
import { ok } from "../diagnostic.js";
import { stillOurs } from "../engine/removals.js";
import { isDrift, stateOf, type LinkState } from "../engine/status.js";
import { hooksNotice, hooksNotRun } from "../resolve/git.js";
import { recordsByLink, type LinkRecord } from "../state/state.js";
import type { Context } from "./context.js";
import { loadManifest, type ManifestChoice } from "./load.js";
import { choosePaths, planManifest, type PlanChoice } from "./plan.js";
import { isRefusal, type StatusReport } from "./report.js";
import { readStateOf, type StateChoice } from "./stateAccess.js";

/** What `status` is told. */
export interface StatusOptions
  extends ManifestChoice, StateChoice, Pick<PlanChoice, "onPlanProgress"> {
  /** PATHs: only links at or below them, or whose targets lie below them (see `choosePaths`). */
  paths?: readonly string[] | undefined;
}

/**
 * `linkman status`: each entry ok, missing, wrong, conflict or broken, each link linkman
 * made that is no longer listed (stale), and whether linkman made or took over the link
 * (from its state). A state that cannot be read is a notice, not a stop.
 */
export async function status(
  ctx: Context,
  options: StatusOptions = {},
): Promise<Result<StatusReport>> {
  const loaded = await loadManifest(ctx, options);
  if (!loaded.ok) return loaded;
  const read = await readStateOf(ctx, loaded.value.file, options);
  const state = isRefusal(read) ? undefined : read.split.trusted;
  const paths = choosePaths(ctx, options.paths, loaded.value, state);
  if (!paths.ok) return paths;
  const planned = await planManifest(ctx, loaded.value, { ...options, paths: paths.value }, state);
  const records = state ? recordsByLink(state) : new Map<string, LinkRecord>();
  const links = planned.actions.map((action) => {
    const record = records.get(action.link);
    const ours = record !== undefined && stillOurs(record, action.found);
    return {
      ...action,
      state: stateOf(action),
      madeByLinkman: ours,
      takenOver: ours && record.takenOver === true,
    };
  });
  const counts: Record<LinkState, number> = {
    ok: 0,
    missing: 0,
    wrong: 0,
    conflict: 0,
    broken: 0,
    error: 0,
    skipped: 0,
    stale: 0,
  };
  for (const l of links) counts[l.state]++;
  const hooks = await hooksNotRun(
    ctx.fs,
    loaded.value.links,
    planned.manifest,
    ctx.env,
    ctx.homedir,
  );
  return ok({
    version: 1,
    manifest: planned.manifest,
    stateFile: isRefusal(read) ? "" : read.file,
    profiles: loaded.value.profiles,
    profileSource: loaded.value.profileSource,
    links,
    counts,
    notices: [
      ...(isRefusal(read)
        ? [`${read.message}; cannot tell which links linkman made`]
        : read.notices),
      ...hooksNotice(hooks),
    ],
  });
}

/** Whether any link is not as the manifest wants. */
export function hasDrift(report: StatusReport): boolean {
  return report.links.some((l) => isDrift(l.state));
}
