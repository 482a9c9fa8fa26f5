import path from "node:path";
import { isBlocked } from "../../engine/action.js";
import { planJson } from "../../engine/planJson.js";
import { savedPlanJson } from "../../engine/savedPlan.js";
import { ExitCode } from "../../exitCode.js";
import { errorCode } from "../../fs/fileSystem.js";
import { writeFileAtomically } from "../../fs/writeFileAtomically.js";
import type { Output } from "../output.js";
import { loadOrReport, planFor, printPlan, type EngineOptions } from "../planning.js";
import { readStateFor } from "../session.js";

/**
 * `linkman plan [--prune] [--out FILE]`: prints the plan; `--out` saves it, with what was
 * found at each path, for `linkman apply FILE`. Exit 1 if it holds a conflict or an error.
 */
export async function planCommand(out: Output): Promise<ExitCode> {
  const { fs } = out.io;
  const options = out.options as EngineOptions;
  const loaded = await loadOrReport(out);
  if (!loaded) return ExitCode.invalid;
  const state = options.prune ? await readStateFor(out, loaded.file) : undefined;
  if (options.prune && !state) return ExitCode.failure;
  const plan = await planFor(out, loaded, state);

  if (options.out) {
    const file = path.resolve(out.io.cwd, options.out);
    try {
      await writeFileAtomically(fs, file, `${JSON.stringify(savedPlanJson(plan), null, 2)}\n`);
    } catch (error) {
      out.error(
        `cannot write the plan to ${out.showPath(file)}: ${errorCode(error) ?? String(error)}`,
      );
      return ExitCode.failure;
    }
    out.info(
      `Saved the plan to ${out.showPath(file)}; \`linkman apply ${out.showPath(file)}\` carries it out.`,
    );
  }
  if (out.options.json) out.json(planJson(plan));
  else printPlan(out, plan);
  return isBlocked(plan) ? ExitCode.failure : ExitCode.ok;
}
