import type { Result } from "../diagnostic.js";
import { ok } from "../diagnostic.js";
import { stillOurs } from "../engine/removals.js";
import { isDrift, stateOf, type LinkState } from "../engine/status.js";
import { hooksNotice, hooksNotRun } from "../resolve/git.js";
import { recordsByLink } from "../state/state.js";
import type { Context } from "./context.js";
import { loadManifest, type ManifestChoice } from "./load.js";
import { planManifest } from "./plan.js";
import { isRefusal, type StatusReport } from "./report.js";
import { readStateOf, type StateChoice } from "./stateAccess.js";

/** What `status` is told. */
export interface StatusOptions extends ManifestChoice, StateChoice {}

/**
 * `linkman status`: each entry ok, missing, wrong, conflict or broken, and whether linkman
 * made the link (from its state). A state that cannot be read is a notice, not a stop.
 */
export async function status(
  ctx: Context,
  options: StatusOptions = {},
): Promise<Result<StatusReport>> {
  const loaded = await loadManifest(ctx, options);
  if (!loaded.ok) return loaded;
  const read = await readStateOf(ctx, loaded.value.file, options);
  const state = isRefusal(read) ? undefined : read.split.trusted;
  const planned = await planManifest(ctx, loaded.value, options);
  const records = state ? recordsByLink(state) : new Map();
  const links = planned.actions.map((action) => {
    const record = records.get(action.link);
    return {
      ...action,
      state: stateOf(action),
      madeByLinkman: record !== undefined && stillOurs(record, action.found),
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
