import { ExitCode } from "../../exitCode.js";
import { apply, applySaved } from "../../session/apply.js";
import { changeExitCode } from "../../session/report.js";
import { renderChange } from "../../views/render.js";
import type { Output } from "../output.js";
import { progressReporter } from "../progress.js";

/**
 * `linkman apply [PLANFILE]`: plans (or re-decides a saved plan), then applies under the
 * lock. A conflict, an error or a stale saved plan changes nothing and exits 1;
 * `--dry-run` prints the plan and changes nothing; `--interactive` asks about each conflict
 * on a terminal first.
 */
export async function applyCommand(out: Output, args: readonly string[] = []): Promise<ExitCode> {
  const [planFile] = args;
  const o = out.options;
  if (o.interactive) {
    const { cannotAsk, interactiveApply } = await import("../interactive.js");
    const why = cannotAsk(out, planFile);
    if (why) {
      out.error(why);
      return ExitCode.invalid;
    }
    return interactiveApply(out);
  }
  const change = {
    ...out.choice,
    dryRun: o.dryRun,
    skipConflicts: o.skipConflicts,
    onProgress: progressReporter(out),
    onPlanProgress: progressReporter(out, Date.now, "looked at"),
  };
  const result = planFile
    ? await applySaved(out.io, { ...change, planFile })
    : await apply(out.io, { ...change, force: o.force, prune: o.prune });
  return out.report(result, (r) => renderChange(r, out.style, out.detail), changeExitCode);
}
