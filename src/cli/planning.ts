import type { Plan } from "../engine/action.js";
import { planLinks } from "../engine/plan.js";
import type { FileSystem } from "../fs/fileSystem.js";
import { readOnly } from "../fs/wrappers.js";
import { loadManifest } from "./loadManifest.js";
import type { Output } from "./output.js";
import { planLines, summaryLine } from "./views/planView.js";

/** The options of the commands that plan: `--allow-outside`, `--force` and, for apply, more. */
export interface EngineOptions {
  allowOutside?: string[];
  force?: boolean;
  dryRun?: boolean;
  skipConflicts?: boolean;
}

/**
 * Finds, reads and resolves the manifest, then plans through a read-only view of `fs`.
 * An invalid manifest is reported here; the caller exits 2 when this returns undefined.
 */
export async function planFromManifest(out: Output, fs: FileSystem): Promise<Plan | undefined> {
  const loaded = await loadManifest(out.io, out.options, fs);
  if (!loaded.ok) {
    out.diagnostics(loaded.errors);
    out.info(
      `${loaded.errors.length === 1 ? "1 error" : `${loaded.errors.length} errors`} in the manifest; nothing was changed.`,
    );
    return undefined;
  }
  const options = out.options as EngineOptions;
  return planLinks(loaded.value.links, {
    fs: readOnly(fs),
    platform: out.io.platform,
    homedir: out.io.homedir,
    manifest: loaded.value.manifest.file,
    allowOutside: options.allowOutside ?? [],
    force: options.force ?? false,
  });
}

/** Prints a plan: every action (only problems with --quiet), then the summary. */
export function printPlan(out: Output, plan: Plan): void {
  const shown = out.options.quiet
    ? { ...plan, actions: plan.actions.filter((a) => a.op === "conflict" || a.op === "error") }
    : plan;
  for (const line of planLines(shown, out.style)) out.out(line);
  if (!out.options.quiet) out.out(summaryLine(plan.summary));
}
