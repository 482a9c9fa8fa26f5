import type { Plan } from "../engine/action.js";
import { summarize } from "../engine/action.js";
import { planLinks } from "../engine/plan.js";
import { planRemovals } from "../engine/removals.js";
import { readOnly } from "../fs/wrappers.js";
import { recordsNotIn, type State } from "../state/state.js";
import { loadManifest, type LoadedManifest } from "./loadManifest.js";
import type { Output } from "./output.js";
import { planLines, summaryLine } from "./views/planView.js";

/** The options of the commands that plan. */
export interface EngineOptions {
  allowOutside?: string[];
  force?: boolean;
  dryRun?: boolean;
  skipConflicts?: boolean;
  prune?: boolean;
  out?: string;
  restore?: boolean;
}

/** Finds, reads and resolves the manifest, reporting an invalid one (the caller then exits 2). */
export async function loadOrReport(out: Output): Promise<LoadedManifest | undefined> {
  const loaded = await loadManifest(out.io, out.options);
  if (loaded.ok) return loaded.value;
  out.diagnostics(loaded.errors);
  const n = loaded.errors.length;
  out.info(`${n === 1 ? "1 error" : `${n} errors`} in the manifest; nothing was changed.`);
  return undefined;
}

/**
 * Plans the manifest's links through a read-only view of `fs`; with `--prune` (and a
 * state), also the removal of links linkman made that the manifest no longer lists.
 */
export async function planFor(out: Output, loaded: LoadedManifest, state?: State): Promise<Plan> {
  const { fs } = out.io;
  const options = out.options as EngineOptions;
  const view = readOnly(fs);
  const plan = await planLinks(loaded.links, {
    fs: view,
    platform: out.io.platform,
    homedir: out.io.homedir,
    manifest: loaded.file,
    allowOutside: options.allowOutside ?? [],
    force: options.force ?? false,
    ...(state ? { likelyLinks: recordedLinks(state) } : {}),
  });
  if (!options.prune || !state) return plan;
  const unlisted = recordsNotIn(state, listedLinks(loaded), out.io.platform);
  const actions = [
    ...plan.actions,
    ...(await planRemovals(unlisted, view, false, out.io.platform)),
  ];
  return { ...plan, actions, summary: summarize(actions) };
}

/** The symlinks and junctions the state records (hard links are files: readlink would fail). */
function recordedLinks(state: State): Set<string> {
  return new Set(state.links.filter((r) => r.kind !== "hardlink").map((r) => r.link));
}

/** Every link path the manifest lists, including entries skipped by `when`: prune never removes those. */
export function listedLinks(loaded: LoadedManifest): string[] {
  return loaded.links.map((l) => l.link);
}

/** Prints a plan: every action (only problems with --quiet), then the summary. */
export function printPlan(out: Output, plan: Plan): void {
  const shown = out.options.quiet
    ? { ...plan, actions: plan.actions.filter((a) => a.op === "conflict" || a.op === "error") }
    : plan;
  for (const line of planLines(shown, out.style, out.options.verbose)) out.out(line);
  if (!out.options.quiet) out.out(summaryLine(plan.summary));
}
