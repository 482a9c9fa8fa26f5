import { ExitCode } from "../../exitCode.js";
import { apply, applySaved } from "../../session/apply.js";
import { onboardingConflictHelp, onboardingSkip } from "../../session/onboarding.js";
import { changeExitCode } from "../../session/report.js";
import { renderChange } from "../../views/render.js";
import type { Output } from "../output.js";
import { progressReporter } from "../progress.js";

/**
 * `linkman apply [PLANFILE]`: plans (or re-decides a saved plan), then applies under the
 * lock. A conflict, an error or a stale saved plan changes nothing and exits 1;
 * `--dry-run` prints the plan and changes nothing.
 */
export async function applyCommand(out: Output, args: readonly string[] = []): Promise<ExitCode> {
  const [planFile] = args;
  const o = out.options;
  if (o.onboarding) {
    // An install must not fail for a reason that is not the user's to fix; one line says why.
    const skip = await onboardingSkip(out.io, out.choice);
    if (skip !== undefined) {
      out.io.stderr.write(`linkman: not linking: ${skip}\n`);
      return ExitCode.ok;
    }
  }
  const change = {
    ...out.choice,
    dryRun: o.dryRun,
    skipConflicts: o.skipConflicts,
    onProgress: progressReporter(out),
  };
  const result = planFile
    ? await applySaved(out.io, { ...change, planFile })
    : await apply(out.io, { ...change, force: o.force, prune: o.prune });
  const code = out.report(result, (r) => renderChange(r, out.style, out.detail), changeExitCode);
  if (o.onboarding && result.ok) {
    for (const line of onboardingConflictHelp(result.value, out.showPath(result.value.manifest)))
      out.io.stderr.write(`${line}\n`);
  }
  return code;
}
