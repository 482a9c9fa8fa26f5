import path from "node:path";
import { isBlocked } from "../../engine/action.js";
import { planJson } from "../../engine/planJson.js";
import { findStale, readSavedPlan } from "../../engine/savedPlan.js";
import { ExitCode } from "../../exitCode.js";
import type { FileSystem } from "../../fs/fileSystem.js";
import { errorCode, readTextFile } from "../../fs/fileSystem.js";
import { readOnly } from "../../fs/wrappers.js";
import { applyWithState } from "../changes.js";
import type { Output } from "../output.js";
import { loadOrReport, planFor, printPlan, type EngineOptions } from "../planning.js";
import { readStateFor, withLockedState } from "../session.js";

/**
 * `linkman apply [PLANFILE]`: plans (or reads a saved plan), then applies under the lock.
 * A conflict, an error or a stale saved plan changes nothing and exits 1; `--dry-run`
 * prints the plan and changes nothing.
 */
export async function applyCommand(out: Output, args: readonly string[] = []): Promise<ExitCode> {
  const { fs } = out.io;
  const options = out.options as EngineOptions;
  const [planFile] = args;
  if (planFile) return applySaved(out, path.resolve(out.io.cwd, planFile), fs);

  const loaded = await loadOrReport(out);
  if (!loaded) return ExitCode.invalid;
  const manifest = loaded.file;

  if (options.dryRun) {
    const state = options.prune ? await readStateFor(out, manifest) : undefined;
    if (options.prune && !state) return ExitCode.failure;
    const plan = await planFor(out, loaded, state);
    if (out.options.json) out.json(planJson(plan));
    else printPlan(out, plan);
    return isBlocked(plan) ? ExitCode.failure : ExitCode.ok;
  }

  return withLockedState(out, manifest, async (session) =>
    applyWithState(out, await planFor(out, loaded, session.state), session, {
      tidy: options.prune ?? false,
    }),
  );
}

/** `linkman apply FILE`: re-checks every path against what the saved plan found; any change, and nothing is applied. */
async function applySaved(out: Output, file: string, fs: FileSystem): Promise<ExitCode> {
  let text: string;
  try {
    text = await readTextFile(fs, file);
  } catch (error) {
    out.error(`cannot read the plan ${out.showPath(file)}: ${errorCode(error) ?? String(error)}`);
    return ExitCode.invalid;
  }
  const saved = readSavedPlan(text);
  if (!saved.ok) {
    out.error(`${out.showPath(file)} ${saved.problem}`);
    return ExitCode.invalid;
  }
  const plan = saved.plan;
  const check = async () => {
    const stale = await findStale(plan, readOnly(fs), out.io.platform);
    for (const s of stale)
      out.out(`${out.colors.red("! stale   ")} ${out.showPath(s.link)}: ${s.why}`);
    if (stale.length > 0) {
      out.error(
        `nothing was applied: ${stale.length === 1 ? "a path has" : `${stale.length} paths have`} changed since the plan was made; make a new plan with \`linkman plan --out\``,
      );
    }
    return stale.length === 0;
  };

  if ((out.options as EngineOptions).dryRun) {
    if (out.options.json) out.json(planJson(plan));
    else printPlan(out, plan);
    return (await check()) && !isBlocked(plan) ? ExitCode.ok : ExitCode.failure;
  }
  return withLockedState(out, plan.manifest, async (session) =>
    (await check()) ? applyWithState(out, plan, session) : ExitCode.failure,
  );
}
