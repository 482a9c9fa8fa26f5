import { isBlocked } from "../../engine/action.js";
import { applyPlan } from "../../engine/apply.js";
import { ExitCode } from "../../exitCode.js";
import type { FileSystem } from "../../fs/fileSystem.js";
import { NodeFileSystem } from "../../fs/nodeFileSystem.js";
import type { Output } from "../output.js";
import { planFromManifest, printPlan, type EngineOptions } from "../planning.js";
import { applyJson, appliedLine, applyLines, planJson, planLines } from "../views/planView.js";

/**
 * `linkman apply`: plans, then applies. A plan with a conflict or an error changes nothing
 * and exits 1, unless `--skip-conflicts`; `--dry-run` prints the plan and changes nothing.
 */
export async function applyCommand(
  out: Output,
  fs: FileSystem = new NodeFileSystem(),
): Promise<ExitCode> {
  const options = out.options as EngineOptions;
  const plan = await planFromManifest(out, fs);
  if (!plan) return ExitCode.invalid;
  const blocked = isBlocked(plan);

  if (options.dryRun) {
    if (out.options.json) out.json(planJson(plan));
    else printPlan(out, plan);
    return blocked ? ExitCode.failure : ExitCode.ok;
  }

  const applied = await applyPlan(plan, {
    fs,
    platform: out.io.platform,
    skipConflicts: options.skipConflicts ?? false,
  });
  if (out.options.json) out.json(applyJson(plan, applied));

  if (applied.refused) {
    if (!out.options.json) printPlan(out, plan);
    const n = plan.summary.conflict + plan.summary.error;
    out.error(
      `nothing was applied: the plan holds ${n === 1 ? "a conflict or error" : `${n} conflicts or errors`} (see above). ` +
        "Resolve them, or pass --skip-conflicts to apply the rest.",
    );
    return ExitCode.failure;
  }
  if (!out.options.json) {
    const problems = {
      ...plan,
      actions: plan.actions.filter((a) => a.op === "conflict" || a.op === "error"),
    };
    for (const line of planLines(problems, out.style)) out.out(line);
    if (!out.options.quiet) for (const line of applyLines(applied, out.style)) out.out(line);
    else
      for (const line of applyLines(applied, out.style).filter((l) => l.includes("failed")))
        out.out(line);
    if (!out.options.quiet) out.out(appliedLine(applied));
  }
  if (applied.failed > 0) {
    out.error(
      `${applied.failed} ${applied.failed === 1 ? "operation" : "operations"} failed; run \`linkman apply\` again once the cause is fixed.`,
    );
    return ExitCode.failure;
  }
  return ExitCode.ok;
}
