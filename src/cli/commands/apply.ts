import path from "node:path";
import { ExitCode } from "../../exitCode.js";
import { apply, applySaved } from "../../session/apply.js";
import { onboardingConflictHelp, onboardingSkip } from "../../session/onboarding.js";
import { changeExitCode } from "../../session/report.js";
import { renderChange } from "../../views/render.js";
import type { Output } from "../output.js";
import { progressReporter } from "../progress.js";

/**
 * `linkman apply [PLANFILE.json | PATH…]`: plans (or re-decides a saved plan), then applies
 * under the lock; PATHs restrict it to links at or below them or whose target lies below
 * them (`linkman apply vim` links only the vim package). A conflict, an error or a stale saved plan changes nothing and exits 1;
 * `--dry-run` prints the plan and changes nothing; `--interactive` asks about each conflict
 * on a terminal first.
 */
export async function applyCommand(out: Output, args: readonly string[] = []): Promise<ExitCode> {
  const planFile = await planFileIn(out, args);
  if (planFile === null) {
    out.error("give either one saved plan (a FILE.json) or PATHs, not both");
    return ExitCode.invalid;
  }
  const o = out.options;
  if (o.onboarding) {
    // An install must not fail for a reason that is not the user's to fix; one line says why.
    const skip = await onboardingSkip(out.io, out.choice);
    if (skip !== undefined) {
      out.io.stderr.write(`linkman: not linking: ${skip}\n`);
      return ExitCode.ok;
    }
  }
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
    : await apply(out.io, { ...change, force: o.force, prune: o.prune, paths: args });
  const code = out.report(result, (r) => renderChange(r, out.style, out.detail), changeExitCode);
  if (o.onboarding && result.ok) {
    for (const line of onboardingConflictHelp(result.value, out.showPath(result.value.manifest)))
      out.io.stderr.write(`${line}\n`);
  }
  return code;
}

/**
 * A saved plan is an argument ending in `.json` that is not a directory (a missing file is
 * still taken for a plan, so its error says so), or a FIFO or device (never a link path or
 * a package, and the plan reader refuses it plainly); anything else is a PATH. Null when a
 * plan is given with other arguments.
 */
async function planFileIn(
  out: Output,
  args: readonly string[],
): Promise<string | undefined | null> {
  const plans: string[] = [];
  for (const arg of args) {
    const found = await out.io.fs
      .lstatIfExists(path.resolve(out.io.cwd, arg))
      .catch(() => undefined);
    const json = arg.toLowerCase().endsWith(".json") && found?.type !== "directory";
    if (json || found?.type === "other") plans.push(arg);
  }
  if (plans.length === 0) return undefined;
  return plans.length === 1 && args.length === 1 ? plans[0] : null;
}
