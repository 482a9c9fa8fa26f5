import path from "node:path";
import type { Plan } from "../../engine/action.js";
import { summarize } from "../../engine/action.js";
import { planAdoptions, type AdoptSettings } from "../../engine/adopt.js";
import { planJson } from "../../engine/planJson.js";
import { rootsFor } from "../../engine/plan.js";
import { ExitCode } from "../../exitCode.js";
import type { FileSystem } from "../../fs/fileSystem.js";
import { readOnly } from "../../fs/wrappers.js";
import { pathKey } from "../../platform.js";
import { applyWithState } from "../changes.js";
import type { LoadedManifest } from "../loadManifest.js";
import { userPath } from "../io.js";
import type { Output } from "../output.js";
import { loadOrReport, printPlan, type EngineOptions } from "../planning.js";
import { withLockedState } from "../session.js";

/**
 * `linkman adopt [LINK…]`: for entries whose link path holds a real file or directory and
 * whose target does not exist yet, moves it into the repository at the target and links
 * it. Never overwrites a target. Named LINKs must be links of the manifest.
 */
export async function adoptCommand(out: Output, args: readonly string[]): Promise<ExitCode> {
  const { fs } = out.io;
  const loaded = await loadOrReport(out);
  if (!loaded) return ExitCode.invalid;
  const only = args.map((a) => userPath(out.io, a));
  const known = new Set(loaded.links.map((l) => pathKey(l.link, out.io.platform)));
  const unknown = only.filter((p) => !known.has(pathKey(p, out.io.platform)));
  if (unknown.length > 0) {
    for (const p of unknown)
      out.error(`${out.showPath(p)} is not the link of any entry in ${out.showPath(loaded.file)}`);
    return ExitCode.invalid;
  }

  const planOf = async (): Promise<Plan> => {
    const actions = await planAdoptions(
      loaded.links,
      readOnly(fs),
      await adoptSettings(out, loaded, fs),
      only,
    );
    return { version: 1, manifest: loaded.file, actions, summary: summarize(actions) };
  };
  if ((out.options as EngineOptions).dryRun) {
    const plan = await planOf();
    if (out.options.json) out.json(planJson(plan));
    else printPlan(out, plan);
    return plan.summary.error + plan.summary.conflict > 0 ? ExitCode.failure : ExitCode.ok;
  }
  return withLockedState(out, loaded.file, async (session) => {
    const plan = await planOf();
    if (plan.actions.length === 0) {
      if (!out.options.json)
        out.info(
          "Nothing to adopt: no entry's link path holds a real file or directory without a target.",
        );
      else out.json(planJson(plan));
      return ExitCode.ok;
    }
    return applyWithState(out, plan, session, { showSkips: true });
  });
}

async function adoptSettings(
  out: Output,
  loaded: LoadedManifest,
  fs: FileSystem,
): Promise<AdoptSettings> {
  const dir = path.dirname(loaded.file);
  const roots = await rootsFor(fs, {
    homedir: out.io.homedir,
    manifest: loaded.file,
    allowOutside: (out.options as EngineOptions).allowOutside,
  });
  return {
    platform: out.io.platform,
    roots,
    force: false,
    repository: { path: dir, real: await fs.realpath(dir).catch(() => dir) },
  };
}
